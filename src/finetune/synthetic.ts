/** Deterministic synthetic labelled clips (unit tests and the cross-backend step check): class c raises a few face and voice features. */
import { FACE_FEATURES, VOICE_FEATURES } from '../fusion/features';
import type { TeachSample } from './types';

export function syntheticClips(perClass: number, classes: number, seed = 1, person = 'p1'): TeachSample[] {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const out: TeachSample[] = [];
  for (let c = 0; c < classes; c++) {
    for (let i = 0; i < perClass; i++) {
      const face = Float32Array.from({ length: FACE_FEATURES.length }, (_, k) => 0.3 + 0.1 * rand() + (k % classes === c ? 0.25 : 0));
      const voice = Float32Array.from({ length: VOICE_FEATURES.length }, (_, k) => 1 + 0.3 * rand() + (k % classes === c ? 0.8 : 0));
      out.push({ id: `${c}-${i}`, label: c, face, voice: i % 4 === 3 ? null : voice, text: null, summary: { start: 0, end: 2 }, person, source: `synthetic ${c}/${i}` });
    }
  }
  return out;
}
