/**
 * Speaker calibration: prosody is only meaningful relative to the speaker (a high voice is not an excited voice).
 * A running per-feature mean and variance (Welford 1962) over a speaker's windows turns each window into z-scores,
 * and `voiceSummary` expresses F0 and level relative to the speaker, so microphone gain and voice type cancel.
 */
import type { ProsodyWindow, SegmentSummary } from '../shared/types';
import { PROSODY_FEATURE_NAMES, PROSODY_SCHEMA_VERSION, prosodyFeatureIndex } from './features';

const DIM = PROSODY_FEATURE_NAMES.length;
/** Windows with less voicing than this say little about the speaker's voice and are not learnt from. */
export const MIN_VOICED_FRACTION = 0.05;
/** Observations of a feature needed before its z-score is reported. */
const MIN_COUNT_FOR_Z = 2;
/** Floor for a feature's sd so a constant feature does not blow z-scores up. */
const MIN_SD = 1e-6;

const I = {
  f0Mean: prosodyFeatureIndex('F0semitoneFrom27.5Hz_mean'),
  level: prosodyFeatureIndex('equivalentSoundLevel_dBp'),
  jitter: prosodyFeatureIndex('jitterLocal_mean'),
  shimmer: prosodyFeatureIndex('shimmerLocaldB_mean'),
  hnr: prosodyFeatureIndex('HNRdBACF_mean'),
  voicedRate: prosodyFeatureIndex('VoicedSegmentsPerSec'),
};

export interface SpeakerBaselineJSON {
  schema: string;
  count: number;
  n: number[];
  mean: number[];
  m2: number[];
}

export class SpeakerBaseline {
  private n = new Float64Array(DIM);
  private mean = new Float64Array(DIM);
  private m2 = new Float64Array(DIM);
  /** Windows learnt from. */
  count = 0;

  /** Adds a window's present features (windows with almost no voicing are skipped). Returns whether it was used. */
  update(w: ProsodyWindow): boolean {
    if (!(w.voicedFraction >= MIN_VOICED_FRACTION) || w.features.length !== DIM) return false;
    for (let i = 0; i < DIM; i++) {
      const v = w.features[i];
      if (!w.present[i] || !Number.isFinite(v)) continue;
      const n = ++this.n[i];
      const d = v - this.mean[i];
      this.mean[i] += d / n;
      this.m2[i] += d * (v - this.mean[i]);
    }
    this.count++;
    return true;
  }

  /** Mean of feature i over the speaker's windows, or null when never observed. */
  meanOf(i: number): number | null {
    return this.n[i] > 0 ? this.mean[i] : null;
  }

  sdOf(i: number): number | null {
    return this.n[i] >= MIN_COUNT_FOR_Z ? Math.sqrt(this.m2[i] / (this.n[i] - 1)) : null;
  }

  /**
   * z-scores of a window against the speaker. An entry is present only if the window has it and the speaker has
   * at least two observations of it; absent entries are 0.
   */
  normalize(w: ProsodyWindow): { values: Float32Array; present: Uint8Array } {
    const values = new Float32Array(DIM);
    const present = new Uint8Array(DIM);
    for (let i = 0; i < DIM; i++) {
      const sd = this.sdOf(i);
      const v = w.features[i];
      if (!w.present[i] || sd === null || !Number.isFinite(v)) continue;
      const z = (v - this.mean[i]) / Math.max(sd, MIN_SD, 1e-3 * Math.abs(this.mean[i]));
      if (Number.isFinite(z)) {
        values[i] = z;
        present[i] = 1;
      }
    }
    return { values, present };
  }

  reset(): void {
    this.n.fill(0);
    this.mean.fill(0);
    this.m2.fill(0);
    this.count = 0;
  }

  toJSON(): SpeakerBaselineJSON {
    return { schema: PROSODY_SCHEMA_VERSION, count: this.count, n: Array.from(this.n), mean: Array.from(this.mean), m2: Array.from(this.m2) };
  }

  static fromJSON(json: SpeakerBaselineJSON): SpeakerBaseline {
    if (json.schema !== PROSODY_SCHEMA_VERSION) {
      throw new Error(`Speaker baseline schema "${json.schema}" does not match "${PROSODY_SCHEMA_VERSION}"`);
    }
    if (json.n.length !== DIM || json.mean.length !== DIM || json.m2.length !== DIM) {
      throw new Error(`Speaker baseline has ${json.n.length} features, expected ${DIM}`);
    }
    const b = new SpeakerBaseline();
    b.n.set(json.n);
    b.mean.set(json.mean);
    b.m2.set(json.m2);
    b.count = json.count;
    return b;
  }
}

/** Baseline from all (sufficiently voiced) windows of a file: whole-file statistics of one speaker. */
export function fileBaseline(windows: readonly ProsodyWindow[]): SpeakerBaseline {
  const b = new SpeakerBaseline();
  for (const w of windows) b.update(w);
  return b;
}

const opt = (w: ProsodyWindow, i: number) => (w.present[i] ? w.features[i] : undefined);

/** SD of F0 within the window, semitones, from the per-frame track. */
function f0SdSemitones(w: ProsodyWindow): number | undefined {
  const st: number[] = [];
  for (const f of w.f0Hz) if (f > 0) st.push(12 * Math.log2(f / 27.5));
  if (st.length < 2) return undefined;
  const m = st.reduce((a, b) => a + b, 0) / st.length;
  return Math.sqrt(st.reduce((a, b) => a + (b - m) ** 2, 0) / st.length);
}

/**
 * The compact voice summary the reasoner reads (src/priors/reasoner.ts): F0 and level relative to the speaker's
 * baseline, absolute jitter/shimmer/HNR (their norms are population norms), voiced segments per second.
 * Relative entries are left undefined until the baseline has seen the feature.
 */
export function voiceSummary(w: ProsodyWindow, baseline: SpeakerBaseline): NonNullable<SegmentSummary['voice']> {
  const f0 = opt(w, I.f0Mean);
  const f0Base = baseline.meanOf(I.f0Mean);
  const level = opt(w, I.level);
  const levelBase = baseline.meanOf(I.level);
  const jitter = opt(w, I.jitter);
  return {
    voicedFraction: w.voicedFraction,
    f0RelSemitones: f0 !== undefined && f0Base !== null ? f0 - f0Base : undefined,
    f0SdSemitones: f0SdSemitones(w),
    // eGeMAPS equivalent sound level is already in dB, so the difference is a gain-free level in dB.
    loudnessRelDb: level !== undefined && levelBase !== null ? level - levelBase : undefined,
    jitterPct: jitter !== undefined ? jitter * 100 : undefined,
    shimmerDb: opt(w, I.shimmer),
    hnrDb: opt(w, I.hnr),
    syllableRate: opt(w, I.voicedRate),
  };
}
