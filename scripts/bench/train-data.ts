/**
 * Feature vectors for the fine-tune benchmark and the soak: real cached features when the extract scripts have run
 * (.cache/features/faces.jsonl: FaceLandmarker blendshapes/AUs/pose of dataset stills; the RAVDESS voice cache of
 * the CURRENT extractor, via scripts/fusion/corpus.ts), paired by class; otherwise seeded synthetic vectors in the
 * same ranges. Standardised per feature, as trainStep expects ("inputs already calibrated and standardised").
 */
import { join } from 'node:path';
import { FACE_FEATURES, VOICE_FEATURES } from '../../src/fusion/features';
import { LABELS } from '../../src/shared/labels';
import { faceCacheFile, loadFaces, loadVoice } from '../fusion/corpus';

export interface TrainData {
  source: 'cached real features (face, voice) + synthetic text' | 'synthetic';
  dims: { face: number; voice: number; text: number };
  /** Flat rows; a row starting with NaN is a missing branch. */
  face: number[];
  voice: number[];
  text: number[];
  labels: number[];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
}

function standardise(rows: number[][]): number[][] {
  const dim = rows[0]?.length ?? 0;
  const mean = new Array<number>(dim).fill(0);
  const sd = new Array<number>(dim).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (sd[j] += (v - mean[j]) ** 2 / rows.length));
  return rows.map((r) => r.map((v, j) => (v - mean[j]) / (Math.sqrt(sd[j]) || 1)));
}

/** `windows` labelled windows, text embedding width `textEmbedding` (+6 scores). */
export async function trainData(windows: number, projectRoot: string, textEmbedding = 48, dataRoot = process.env.DATA_DIR ?? '../shared/data'): Promise<TrainData> {
  const random = lcg(7);
  const dims = { face: FACE_FEATURES.length, voice: VOICE_FEATURES.length, text: textEmbedding + LABELS.length };
  const dir = join(projectRoot, '.cache', 'features');
  let faces: { label: number; v: number[] }[] = [];
  let voices: { label: number; v: number[] }[] = [];
  const faceFile = faceCacheFile(dataRoot, dir, false);
  if (faceFile) {
    faces = loadFaces(faceFile).map((r) => ({ label: r.label, v: Array.from(r.raw) }));
    // Cached clips only (never extracts); a cache of an older extractor is not used.
    const clips = await loadVoice(dataRoot, 'ravdess', dir, true).catch(() => []);
    voices = clips.map((r) => ({ label: r.label, v: Array.from(r.raw, (x) => (Number.isFinite(x) ? x : 0)) }));
  }
  const real = faces.length > 0 && voices.length > 0;
  const faceRows: number[][] = [];
  const voiceRows: number[][] = [];
  const textRows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < windows; i++) {
    const label = i % LABELS.length;
    labels.push(label);
    if (real) {
      const fs = faces.filter((f) => f.label === label);
      const vs = voices.filter((v) => v.label === label);
      faceRows.push((fs.length ? fs[Math.floor(random() * fs.length)] : faces[Math.floor(random() * faces.length)]).v);
      voiceRows.push((vs.length ? vs[Math.floor(random() * vs.length)] : voices[Math.floor(random() * voices.length)]).v);
    } else {
      faceRows.push(Array.from({ length: dims.face }, (_, j) => (j === label ? 0.6 : 0) + random() * 0.4));
      voiceRows.push(Array.from({ length: dims.voice }, (_, j) => (j === label ? 1 : 0) + random() * 2 - 1));
    }
    textRows.push(Array.from({ length: dims.text }, (_, j) => (j === dims.text - LABELS.length + label ? 0.5 : 0) + (random() - 0.5) * 0.5));
  }
  const face = standardise(faceRows);
  const voice = standardise(voiceRows);
  // Missing branches as in real use: every 5th window has no voice, every 3rd no transcript.
  const nan = (n: number) => new Array<number>(n).fill(Number.NaN);
  return {
    source: real ? 'cached real features (face, voice) + synthetic text' : 'synthetic',
    dims,
    face: face.flat(),
    voice: voice.flatMap((r, i) => (i % 5 === 4 ? nan(dims.voice) : r)),
    text: textRows.flatMap((r, i) => (i % 3 === 2 ? nan(dims.text) : r)),
    labels,
  };
}
