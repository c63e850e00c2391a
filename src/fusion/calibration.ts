/**
 * Per-person calibration: each person's face and voice features are z-scored against that person's own statistics,
 * so expression and prosody read relative to the person's baseline (loudness relative to the speaker's own level,
 * resting face relative to the person's own resting face). Speaker normalisation is standard in speech emotion
 * recognition (e.g. Busso et al. 2011, "Iterative feature normalization scheme for automatic emotion detection").
 *
 * Statistics are shrunk toward the population (from training, in metadata.json) with a pseudo-count, so a person
 * seen once (a single photo) is normalised mostly by population statistics and a person seen for minutes mostly
 * by their own: mean_p = (n·mean_n + k·mean_pop)/(n + k), likewise for the variance.
 *
 * Modes: training/eval/file analysis fit all of a person's data first (`fit`), live mode updates a running
 * mean/variance (Welford) window by window (`update`), or starts from a short neutral enrolment (`enrolNeutral`,
 * shifted by the population's neutral→overall offset so it matches the all-data statistics the model was trained on).
 * Text is not calibrated (it is not a property of the person's physiology).
 */
import type { Modality } from '../shared/labels';

export type CalibratedModality = Extract<Modality, 'face' | 'voice'>;
export const CALIBRATED_MODALITIES: readonly CalibratedModality[] = ['face', 'voice'];

/** Population statistics of one branch's raw features (training set), stored in metadata.json. */
export interface PopulationStats {
  mean: number[];
  variance: number[];
  /** Mean over people of (all-data mean − neutral mean) / person sd, per feature; used by enrolNeutral. */
  neutralOffset: number[];
}

export interface CalibrationScheme {
  mode: 'person-zscore-shrunk';
  /** Pseudo-count k of the population prior. */
  priorCount: number;
  /** Windows (or images) per branch before the calibration is called ready. */
  minWindows: number;
  population: Record<CalibratedModality, PopulationStats>;
}

export interface CalibrationStatus {
  windows: Record<CalibratedModality, number>;
  ready: boolean;
  enrolled: boolean;
}

interface RunningStats {
  count: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
  /** Added to the running mean (neutral enrolment offset, in raw units). */
  shift: Float64Array;
  windows: number;
}

const VARIANCE_FLOOR = 1e-6;

function emptyStats(n: number): RunningStats {
  return { count: new Float64Array(n), mean: new Float64Array(n), m2: new Float64Array(n), shift: new Float64Array(n), windows: 0 };
}

export class PersonCalibration {
  readonly scheme: CalibrationScheme;
  private stats: Record<CalibratedModality, RunningStats>;
  private enrolled = false;

  constructor(scheme: CalibrationScheme) {
    this.scheme = scheme;
    this.stats = {
      face: emptyStats(scheme.population.face.mean.length),
      voice: emptyStats(scheme.population.voice.mean.length),
    };
  }

  /** Adds one window's raw vector (non-finite entries are skipped per feature). Welford's online update. */
  update(m: CalibratedModality, x: ArrayLike<number> | null): void {
    if (!x) return;
    const s = this.stats[m];
    if (x.length !== s.mean.length) throw new Error(`PersonCalibration: ${m} vector has ${x.length} values, expected ${s.mean.length}`);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) continue;
      s.count[i]++;
      const delta = v - s.mean[i];
      s.mean[i] += delta / s.count[i];
      s.m2[i] += delta * (v - s.mean[i]);
    }
    s.windows++;
  }

  /** Fits all of a person's data at once (training, eval, file analysis). */
  fit(m: CalibratedModality, vectors: readonly (ArrayLike<number> | null)[]): this {
    for (const v of vectors) this.update(m, v);
    return this;
  }

  /**
   * Short neutral enrolment: the person's neutral windows become the baseline, shifted by the population's
   * neutral→overall offset (in the person's own sd units) so the result matches all-data statistics.
   */
  enrolNeutral(m: CalibratedModality, vectors: readonly (ArrayLike<number> | null)[]): void {
    this.resetBranch(m);
    this.fit(m, vectors);
    const s = this.stats[m];
    const offset = this.scheme.population[m].neutralOffset;
    const { std } = this.personStats(m);
    for (let i = 0; i < s.shift.length; i++) s.shift[i] = (offset[i] ?? 0) * std[i];
    this.enrolled = true;
  }

  /** The shrunk person mean and sd of a branch. */
  personStats(m: CalibratedModality): { mean: Float64Array; std: Float64Array } {
    const s = this.stats[m];
    const pop = this.scheme.population[m];
    const k = this.scheme.priorCount;
    const mean = new Float64Array(s.mean.length);
    const std = new Float64Array(s.mean.length);
    for (let i = 0; i < mean.length; i++) {
      const n = s.count[i];
      const ownVar = n > 1 ? s.m2[i] / (n - 1) : pop.variance[i];
      mean[i] = (n * (s.mean[i] + s.shift[i]) + k * pop.mean[i]) / (n + k);
      std[i] = Math.sqrt(Math.max(VARIANCE_FLOOR, (n * ownVar + k * pop.variance[i]) / (n + k)));
    }
    return { mean, std };
  }

  /** Calibrated copy of a raw vector: (x − mean_p)/sd_p; non-finite entries become 0 (at the baseline). */
  apply(m: CalibratedModality, x: ArrayLike<number> | null): Float32Array | null {
    if (!x) return null;
    const { mean, std } = this.personStats(m);
    if (x.length !== mean.length) throw new Error(`PersonCalibration: ${m} vector has ${x.length} values, expected ${mean.length}`);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = Number.isFinite(x[i]) ? (x[i] - mean[i]) / std[i] : 0;
    return out;
  }

  private resetBranch(m: CalibratedModality): void {
    this.stats[m] = emptyStats(this.stats[m].mean.length);
  }

  reset(): void {
    for (const m of CALIBRATED_MODALITIES) this.resetBranch(m);
    this.enrolled = false;
  }

  /** For the UI: windows seen per branch; ready once every branch seen at all has minWindows windows. */
  status(): CalibrationStatus {
    const windows = { face: this.stats.face.windows, voice: this.stats.voice.windows };
    const seen = CALIBRATED_MODALITIES.filter((m) => windows[m] > 0);
    const ready = seen.length > 0 && seen.every((m) => windows[m] >= this.scheme.minWindows);
    return { windows, ready: ready || this.enrolled, enrolled: this.enrolled };
  }

  toJSON(): { scheme: CalibrationScheme['mode']; status: CalibrationStatus; person: Record<CalibratedModality, { mean: number[]; std: number[] }> } {
    const person = {} as Record<CalibratedModality, { mean: number[]; std: number[] }>;
    for (const m of CALIBRATED_MODALITIES) {
      const { mean, std } = this.personStats(m);
      person[m] = { mean: Array.from(mean), std: Array.from(std) };
    }
    return { scheme: this.scheme.mode, status: this.status(), person };
  }
}
