/**
 * Voice-quality measures with Praat's definitions (Praat manual, "Voice 2. Jitter", "Voice 3. Shimmer",
 * "Harmonicity"; https://www.fon.hum.uva.nl/praat/manual/Voice.html):
 *  - glottal pulses as in "Sound & Pitch: To PointProcess (cc)" (pulses.ts);
 *  - jitter (local) = mean |T(i) − T(i−1)| / mean T, periods in [0.1 ms, 20 ms], max period factor 1.3;
 *  - shimmer (local, dB) = mean |20·log10(A(i+1)/A(i))|, max amplitude factor 1.6, A = Hann-windowed RMS ±0.2
 *    periods around each pulse (Praat PointProcess_Sound_to_AmplitudeTier_period);
 *  - HNR from "To Harmonicity (ac)": 4.5 periods per window (Gaussian window), silence threshold 0.1, HNR = 10·log10(r / (1 − r))
 *    at the autocorrelation peak (Boersma 1993).
 * Plus eGeMAPS' H1–H2, H1–A3 (60 ms spectra) and LPC formants F1–F3 with the F1 bandwidth.
 */
import { hannWindow } from './dsp';
import { formantsOfFrame } from './formants';
import { markPulses } from './pulses';
import { PitchCandidateAnalyzer } from './pitch';

const PERIOD_FLOOR = 0.0001;
const PERIOD_CEILING = 0.02;
const MAX_PERIOD_FACTOR = 1.3;
const MAX_AMPLITUDE_FACTOR = 1.6;

/** Praat's HNR ceiling when r → 1. */
const MAX_HNR_DB = 100;

/**
 * Per-frame HNR (dB) à la Praat Harmonicity (ac); NaN where Praat reports −200 dB (aperiodic or silent). With
 * Praat's harmonicity settings (voicing threshold and all path costs 0) the path finder reduces to taking the
 * strongest candidate of each frame.
 */
export class HarmonicityAnalyzer {
  private readonly candidates: PitchCandidateAnalyzer;

  constructor(x: Float32Array, sampleRate: number, floorHz: number) {
    this.candidates = new PitchCandidateAnalyzer(x, sampleRate, {
      floorHz,
      ceilingHz: sampleRate / 2,
      periodsPerWindow: 4.5,
      window: 'gauss', // Sound_to_Harmonicity_ac calls Sound_to_Pitch_any with method AC_GAUSS
      silenceThreshold: 0.1,
      voicingThreshold: 0,
      octaveCost: 0,
      octaveJumpCost: 0,
      voicedUnvoicedCost: 0,
    }, 3);
  }

  hnrDb(time: number): number {
    let best = { frequency: 0, strength: -Infinity };
    for (const c of this.candidates.candidates(time)) if (c.strength > best.strength) best = c;
    const r = best.strength;
    if (!(best.frequency > 0) || !(r > 0)) return NaN;
    return r >= 1 - 1e-10 ? MAX_HNR_DB : Math.min(MAX_HNR_DB, 10 * Math.log10(r / (1 - r)));
  }
}

/** Jitter (local) over the periods between consecutive pulses among `idx`; null if no valid period pair. */
export function jitterLocal(pulses: Float64Array, idx: number[]): number | null {
  let sumDiff = 0, nDiff = 0, sumPeriod = 0, nPeriod = 0;
  let prev = NaN;
  for (let k = 1; k < idx.length; k++) {
    const T = idx[k] === idx[k - 1] + 1 ? pulses[idx[k]] - pulses[idx[k - 1]] : NaN;
    if (!(T >= PERIOD_FLOOR && T <= PERIOD_CEILING)) {
      prev = NaN;
      continue;
    }
    sumPeriod += T;
    nPeriod++;
    if (Number.isFinite(prev) && Math.max(T / prev, prev / T) <= MAX_PERIOD_FACTOR) {
      sumDiff += Math.abs(T - prev);
      nDiff++;
    }
    prev = T;
  }
  if (nDiff === 0 || nPeriod === 0) return null;
  return sumDiff / nDiff / (sumPeriod / nPeriod);
}

/** Shimmer (local, dB) over consecutive period amplitudes among `idx`; null if no valid pair. */
export function shimmerLocalDb(pulses: Float64Array, amplitudes: Float64Array, idx: number[]): number | null {
  let sum = 0, n = 0;
  for (let k = 1; k < idx.length; k++) {
    const a = amplitudes[idx[k - 1]], b = amplitudes[idx[k]];
    const T = pulses[idx[k]] - pulses[idx[k - 1]];
    if (idx[k] !== idx[k - 1] + 1 || !(a > 0) || !(b > 0) || !(T >= PERIOD_FLOOR && T <= PERIOD_CEILING)) continue;
    if (Math.max(a / b, b / a) > MAX_AMPLITUDE_FACTOR) continue;
    sum += Math.abs(20 * Math.log10(b / a));
    n++;
  }
  return n > 0 ? sum / n : null;
}

/**
 * Amplitude of each pulse as Praat's PointProcess_Sound_to_AmplitudeTier_period measures it: the RMS under an
 * asymmetric Hann window reaching 0.2 periods to each side (Sound_getHannWindowedRms). NaN where either adjacent
 * period is out of range.
 */
function pulseAmplitudes(x: Float32Array, sampleRate: number, pulses: Float64Array): Float64Array {
  const amp = new Float64Array(pulses.length).fill(NaN);
  for (let k = 1; k < pulses.length - 1; k++) {
    const p1 = pulses[k] - pulses[k - 1], p2 = pulses[k + 1] - pulses[k];
    if (!(p1 >= PERIOD_FLOOR && p1 <= PERIOD_CEILING && p2 >= PERIOD_FLOOR && p2 <= PERIOD_CEILING)) continue;
    if (Math.max(p1 / p2, p2 / p1) > MAX_PERIOD_FACTOR) continue;
    const tmid = pulses[k], left = 0.2 * p1, right = 0.2 * p2;
    const i0 = Math.max(0, Math.ceil((tmid - left) * sampleRate)), i1 = Math.min(x.length - 1, Math.floor((tmid + right) * sampleRate));
    if (i1 - i0 + 1 < 3) continue;
    let sum = 0, wsum = 0;
    for (let i = i0; i <= i1; i++) {
      const t = i / sampleRate;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * (t - tmid)) / (t < tmid ? left : right));
      sum += (x[i] * w) ** 2;
      wsum += w * w;
    }
    const rms = Math.sqrt(sum / wsum);
    if (rms > 0) amp[k] = rms;
  }
  return amp;
}

/** In-place iterative radix-2 FFT. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k), wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2], ai = im[i + k + len / 2];
        const tr = ar * wr - ai * wi, ti = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k] - tr;
        im[i + k + len / 2] = im[i + k] - ti;
        re[i + k] += tr;
        im[i + k] += ti;
      }
    }
  }
}

/** eGeMAPS: harmonic-related LLDs use 60 ms frames. */
const HARMONIC_FRAME_SEC = 0.06;

export interface VoiceQualityFrame {
  jitter: number;
  shimmerDb: number;
  h1h2: number;
  h1a3: number;
  f1: number;
  f1Bandwidth: number;
  f2: number;
  f3: number;
}

const UNDEFINED_FRAME: VoiceQualityFrame = {
  jitter: NaN, shimmerDb: NaN, h1h2: NaN, h1a3: NaN, f1: NaN, f1Bandwidth: NaN, f2: NaN, f3: NaN,
};

/** Voice-quality LLDs of voiced frames; pulses are marked once per signal, frames are analysed on request. */
export class VoiceQualityAnalyzer {
  readonly pulses: Float64Array;
  readonly pulseAmplitudes: Float64Array;
  private readonly len: number;
  private readonly size: number;
  private readonly win: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(private readonly x: Float32Array, private readonly sampleRate: number, times: Float64Array, f0Hz: Float32Array) {
    this.pulses = markPulses(x, sampleRate, times, f0Hz);
    this.pulseAmplitudes = pulseAmplitudes(x, sampleRate, this.pulses);
    this.len = Math.round(HARMONIC_FRAME_SEC * sampleRate);
    let size = 1;
    while (size < this.len) size *= 2;
    this.size = size;
    this.win = hannWindow(this.len);
    this.re = new Float64Array(size);
    this.im = new Float64Array(size);
  }

  /** LLDs of the frame centred at `time` with pitch `f0` (Hz; 0 = unvoiced ⇒ all undefined). */
  frame(time: number, f0: number): VoiceQualityFrame {
    if (!(f0 > 0)) return UNDEFINED_FRAME;
    const { x, sampleRate, pulses, len, size, win, re, im } = this;
    const idx: number[] = [];
    for (let k = lowerBound(pulses, time - HARMONIC_FRAME_SEC / 2); k < pulses.length && pulses[k] < time + HARMONIC_FRAME_SEC / 2; k++) idx.push(k);
    const formants = formantsOfFrame(x, sampleRate, time);
    const start = Math.round(time * sampleRate - len / 2);
    re.fill(0);
    im.fill(0);
    for (let i = 0; i < len; i++) {
      const j = start + i;
      re[i] = j >= 0 && j < x.length ? x[j] * win[i] : 0;
    }
    fft(re, im);
    const binHz = sampleRate / size;
    const peakDb = (lo: number, hi: number) => {
      let best = -Infinity;
      for (let k = Math.max(1, Math.floor(lo / binHz)); k <= Math.min(size / 2, Math.ceil(hi / binHz)); k++) {
        best = Math.max(best, 10 * Math.log10(re[k] * re[k] + im[k] * im[k] + 1e-20));
      }
      return best;
    };
    const h1 = peakDb(0.9 * f0, 1.1 * f0);
    return {
      jitter: jitterLocal(pulses, idx) ?? NaN,
      shimmerDb: shimmerLocalDb(pulses, this.pulseAmplitudes, idx) ?? NaN,
      h1h2: h1 - peakDb(1.9 * f0, 2.1 * f0),
      // A3: strongest harmonic within ±10 % of F3 (eGeMAPS "H1-A3").
      h1a3: Number.isFinite(formants.f3) ? h1 - peakDb(0.9 * formants.f3, 1.1 * formants.f3) : NaN,
      f1: formants.f1,
      f1Bandwidth: formants.b1,
      f2: formants.f2,
      f3: formants.f3,
    };
  }
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
