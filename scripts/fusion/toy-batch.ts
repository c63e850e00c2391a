/**
 * A small, seeded BDCL batch shared by the unit tests (src/training/*.test.ts) and the browser backend check
 * (scripts/fusion/backend-check.ts): class c shifts feature c of every branch; some branches and some labels are
 * missing; class 5 appears exactly once.
 */
import type { FusionSample } from '../../src/fusion/batch';
import type { TrainingBatch } from '../../src/training/train-step';

export const TOY_DIMS = { face: 5, voice: 4, text: 3 };

export function toyBatch(seed: number, n = 12): TrainingBatch {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const labels = new Int32Array(n);
  const samples: FusionSample[] = [];
  for (let i = 0; i < n; i++) {
    const y = i === n - 1 ? 5 : i % 3;
    labels[i] = i % 5 === 4 ? -1 : y;
    const vec = (d: number) => Float32Array.from({ length: d }, (_, k) => (k === y % d ? 2 : 0) + 0.3 * rand());
    samples.push({
      face: i % 4 === 1 ? null : vec(TOY_DIMS.face),
      voice: i % 3 === 2 ? null : vec(TOY_DIMS.voice),
      text: i % 2 ? vec(TOY_DIMS.text) : null,
    });
  }
  return { samples, labels, seed };
}
