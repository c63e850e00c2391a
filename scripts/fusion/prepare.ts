/**
 * Per-person calibration of branch records with the app's PersonCalibration (src/fusion/calibration.ts):
 * population statistics come from the train split; each person is then fitted on ALL of their own records (no
 * labels used), as file analysis does for a video's speaker. `perPerson: false` gives the population-only z-score
 * used by the "without per-person normalisation" baselines.
 */
import { CALIBRATED_MODALITIES, PersonCalibration, type CalibrationScheme, type PopulationStats } from '../../src/fusion/calibration';
import type { InputNorm } from '../../src/fusion/fusion-model';
import { LABELS, MODALITIES, type Modality } from '../../src/shared/labels';
import type { BranchRecord } from './corpus';

export const PRIOR_COUNT = 5;
export const MIN_WINDOWS = 5;

function meanVar(vectors: readonly Float32Array[], n: number): { mean: number[]; variance: number[] } {
  const sum = new Float64Array(n);
  const sq = new Float64Array(n);
  const count = new Float64Array(n);
  for (const v of vectors) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(v[i])) continue;
      sum[i] += v[i];
      sq[i] += v[i] * v[i];
      count[i]++;
    }
  }
  const mean = Array.from(sum, (s, i) => (count[i] ? s / count[i] : 0));
  const variance = Array.from(sq, (s, i) => (count[i] > 1 ? Math.max(1e-6, s / count[i] - mean[i] ** 2) : 1));
  return { mean, variance };
}

/** Population statistics (train split) and the neutral→overall offset per branch. */
export function calibrationScheme(train: readonly BranchRecord[]): CalibrationScheme {
  const population = {} as Record<'face' | 'voice', PopulationStats>;
  for (const m of CALIBRATED_MODALITIES) {
    const rows = train.filter((r) => r.modality === m);
    const n = rows[0]?.raw.length ?? 0;
    const { mean, variance } = meanVar(rows.map((r) => r.raw), n);
    // Offset: mean over persons with neutral data of (person mean − person neutral mean) / person sd.
    const byPerson = groupBy(rows, (r) => r.person);
    const offsets: number[][] = [];
    for (const personRows of byPerson.values()) {
      const neutral = personRows.filter((r) => r.label === LABELS.indexOf('neutral'));
      if (neutral.length < 2 || personRows.length < 6) continue;
      const all = meanVar(personRows.map((r) => r.raw), n);
      const neu = meanVar(neutral.map((r) => r.raw), n);
      offsets.push(all.mean.map((v, i) => (v - neu.mean[i]) / Math.sqrt(all.variance[i])));
    }
    const neutralOffset = Array.from({ length: n }, (_, i) => (offsets.length ? offsets.reduce((s, o) => s + o[i], 0) / offsets.length : 0));
    population[m] = { mean, variance, neutralOffset };
  }
  return { mode: 'person-zscore-shrunk', priorCount: PRIOR_COUNT, minWindows: MIN_WINDOWS, population };
}

export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k)!.push(item);
  }
  return map;
}

/** Calibrated vectors (same order as `records`); text passes through unchanged. */
export function calibrate(records: readonly BranchRecord[], scheme: CalibrationScheme, perPerson = true): Float32Array[] {
  const out = new Array<Float32Array>(records.length);
  const index = new Map(records.map((r, i) => [r, i]));
  for (const rows of groupBy(records, (r) => `${r.modality}|${r.person}`).values()) {
    const m = rows[0].modality;
    if (m === 'text') {
      for (const r of rows) out[index.get(r)!] = r.raw;
      continue;
    }
    const cal = new PersonCalibration(scheme);
    if (perPerson) cal.fit(m, rows.map((r) => r.raw));
    for (const r of rows) out[index.get(r)!] = cal.apply(m, r.raw)!;
  }
  return out;
}

/** Per-feature mean and sd of vectors (non-finite entries skipped), for standardise. */
export function normOf(vectors: readonly Float32Array[], n: number): InputNorm {
  if (!vectors.length) return { mean: new Array<number>(n).fill(0), std: new Array<number>(n).fill(1) };
  const { mean, variance } = meanVar(vectors, n);
  return { mean, std: variance.map((v) => Math.sqrt(v)) };
}

/** Standardisation of calibrated train vectors per branch (stored in metadata.inputNorm). */
export function inputNorm(records: readonly BranchRecord[], vectors: readonly Float32Array[], dims: Record<Modality, number>): Record<Modality, InputNorm> {
  const out = {} as Record<Modality, InputNorm>;
  for (const m of MODALITIES) out[m] = normOf(vectors.filter((_, i) => records[i].modality === m), dims[m]);
  return out;
}

/** Applies an InputNorm (the same arithmetic as FusionModel.standardise). */
export function standardise(x: Float32Array, norm: InputNorm): Float32Array {
  return Float32Array.from(x, (v, i) => (Number.isFinite(v) ? (v - norm.mean[i]) / (norm.std[i] || 1) : 0));
}
