/**
 * F0 and voicing with Praat's autocorrelation method, "Sound: To Pitch (ac)…" (Boersma 1993, "Accurate short-term
 * analysis of the fundamental frequency and the harmonics-to-noise ratio of a sampled sound", IFA Proceedings 17;
 * Praat manual: https://www.fon.hum.uva.nl/praat/manual/Sound__To_Pitch__ac____.html). We port it rather than use
 * pitchy's McLeod detector because the project validates voicing and F0 frame by frame against Praat, and Praat's
 * voicing comes from its candidate/Viterbi path, which no JS library implements. pitchy's FFT autocorrelator does
 * the correlation itself.
 *
 * Steps per frame: subtract local mean, Hann window of 3 pitch-floor periods, normalised autocorrelation divided by
 * the window's own autocorrelation (Boersma eq. 9), peaks in [1/ceiling, 1/floor] with parabolic interpolation,
 * up to 15 candidates plus the unvoiced candidate; then Praat's path finder (Pitch_pathFinder) with octave cost,
 * octave-jump cost and voiced/unvoiced cost.
 */
import { Autocorrelator } from 'pitchy';
import { interpolateSinc, improveMaximum } from './sinc';

export interface PitchOptions {
  /** Pitch floor, Hz (Praat default 75). */
  floorHz?: number;
  /** Pitch ceiling, Hz (Praat default 600 since 6.x; 500 for male voices by convention). */
  ceilingHz?: number;
  maxCandidates?: number;
  silenceThreshold?: number;
  voicingThreshold?: number;
  octaveCost?: number;
  octaveJumpCost?: number;
  voicedUnvoicedCost?: number;
  periodsPerWindow?: number;
  /**
   * 'hann' (To Pitch (ac), window = periodsPerWindow / floor) or 'gauss' (Praat's "very accurate" variant, used by
   * To Harmonicity (ac): Gaussian window twice as long).
   */
  window?: 'hann' | 'gauss';
}

/** Praat 6.x defaults for To Pitch (ac). */
export const PRAAT_PITCH_DEFAULTS: Required<PitchOptions> = {
  floorHz: 75,
  ceilingHz: 600,
  maxCandidates: 15,
  silenceThreshold: 0.03,
  voicingThreshold: 0.45,
  octaveCost: 0.01,
  octaveJumpCost: 0.35,
  voicedUnvoicedCost: 0.14,
  periodsPerWindow: 3,
  window: 'hann',
};

export interface PitchTrack {
  /** F0 per frame in Hz, 0 = unvoiced. */
  f0Hz: Float32Array;
  /** Normalised autocorrelation at the chosen lag (0 for unvoiced): basis of HNR. */
  strength: Float32Array;
}

export interface Candidate {
  frequency: number; // 0 = unvoiced
  strength: number;
}

const log2 = Math.log2;

/** Candidates kept for refinement per frame when only the strongest matters (harmonicity). */
const ALL = Infinity;

/**
 * Per-frame candidate analysis (the expensive part), kept separate from the path finder so callers can spread
 * frames over time (the AudioWorklet analyses a window across many render quanta). Follows Praat's
 * Sound_into_PitchFrame (Sound_to_Pitch.cpp) step by step.
 */
export class PitchCandidateAnalyzer {
  readonly options: Required<PitchOptions>;
  private readonly half: number;
  private readonly windowLen: number;
  private readonly window: Float64Array;
  private readonly correlator: Autocorrelator<Float64Array>;
  private readonly windowR: Float64Array;
  private readonly periodLen: number;
  private readonly halfPeriod: number;
  private readonly maxLag: number;
  private readonly brentMax: number;
  private readonly brentDepth: number;
  private readonly globalPeak: number;
  private readonly frame: Float64Array;
  private readonly ac: Float64Array;
  private readonly r: Float64Array;

  /** `refineTop`: refine only the N strongest peaks (harmonicity needs just the best one). */
  constructor(private readonly x: Float32Array, private readonly sampleRate: number, options: PitchOptions = {}, private readonly refineTop = ALL) {
    const o = (this.options = { ...PRAAT_PITCH_DEFAULTS, ...options });
    const gauss = o.window === 'gauss';
    // AC_GAUSS: "periodsPerWindow *= 2, because Gaussian window is twice as long"; interpolation depth 0.25 vs 0.5.
    const periods = (gauss ? 2 : 1) * o.periodsPerWindow;
    this.half = Math.max(2, Math.floor(Math.floor((periods / o.floorHz) * sampleRate) / 2) - 1);
    this.windowLen = 2 * this.half;
    this.window = gauss ? gaussianWindow(this.windowLen) : hannWindow(this.windowLen);
    this.brentMax = Math.floor(this.windowLen * (gauss ? 0.25 : 0.5));
    this.brentDepth = gauss ? 700 : 70;
    this.periodLen = Math.floor(sampleRate / o.floorHz);
    this.halfPeriod = Math.floor(this.periodLen / 2) + 1;
    this.maxLag = Math.min(this.windowLen, Math.floor(this.windowLen / periods) + 2);
    this.correlator = Autocorrelator.forFloat64Array(this.windowLen);
    const wac = this.correlator.autocorrelate(this.window);
    this.windowR = Float64Array.from(wac, (v) => v / wac[0]);
    // Global peak of the mean-removed signal, for the silence threshold.
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i];
    const mean = x.length ? sum / x.length : 0;
    let peak = 0;
    for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i] - mean));
    this.globalPeak = peak;
    this.frame = new Float64Array(this.windowLen);
    this.ac = new Float64Array(this.windowLen);
    this.r = new Float64Array(2 * this.brentMax + 1);
  }

  /** Candidates of the frame centred at `time` s; index 0 is the unvoiced candidate. */
  candidates(time: number): Candidate[] {
    const { x, half, windowLen, window, frame, ac, windowR, r, brentMax, sampleRate: sr } = this;
    const o = this.options;
    const at = (j: number) => (j >= 0 && j < x.length ? x[j] : 0);
    const left = Math.floor(time * sr);
    // Local mean: one longest period to both sides.
    let sum = 0;
    for (let j = left + 1 - this.periodLen; j <= left + this.periodLen; j++) sum += at(j);
    const mean = sum / (2 * this.periodLen);
    const start = left + 1 - half;
    for (let i = 0; i < windowLen; i++) frame[i] = (at(start + i) - mean) * window[i];
    // Local peak of the windowed frame, half a longest period to both sides of the centre.
    let localPeak = 0;
    for (let i = Math.max(0, half - this.halfPeriod); i <= Math.min(windowLen - 1, half + this.halfPeriod - 1); i++) {
      localPeak = Math.max(localPeak, Math.abs(frame[i]));
    }
    const intensity = this.globalPeak > 0 ? Math.min(1, localPeak / this.globalPeak) : 0;
    const unvoicedStrength =
      o.voicingThreshold + Math.max(0, 2 - intensity / (o.silenceThreshold / (1 + o.voicingThreshold)));
    const candidates: Candidate[] = [{ frequency: 0, strength: unvoicedStrength }];
    if (localPeak <= 0) return candidates;
    this.correlator.autocorrelate(frame, ac);
    // r[brentMax + k] is the normalised autocorrelation at lag k (symmetric), divided by the window's (Boersma eq. 9).
    r[brentMax] = 1;
    for (let k = 1; k <= brentMax; k++) r[brentMax + k] = r[brentMax - k] = ac[k] / (ac[0] * windowR[k]);
    const peaks: Array<Candidate & { lag: number; start: number }> = [];
    for (let k = 2; k < this.maxLag && k < brentMax; k++) {
      const prev = r[brentMax + k - 1], cur = r[brentMax + k], next = r[brentMax + k + 1];
      if (!(cur > 0.5 * o.voicingThreshold && cur > prev && cur >= next)) continue;
      // Parabolic first estimate of the lag, sinc-interpolated strength (Praat: depth 30).
      const dr = 0.5 * (next - prev), d2r = 2 * cur - prev - next;
      const lag = k + dr / d2r;
      peaks.push({ frequency: sr / lag, strength: cur + (0.5 * dr * dr) / d2r, lag: k, start: lag });
    }
    if (peaks.length > 2 * this.refineTop) {
      // Only the strongest can win: skip sinc work on the rest (harmonicity asks for the best few).
      peaks.sort((a, b) => b.strength - a.strength);
      peaks.length = 2 * this.refineTop;
    }
    for (const p of peaks) {
      const strength = interpolateSinc(r, brentMax + p.start, 30);
      p.strength = strength > 1 ? 1 / strength : strength;
    }
    const rank = (c: Candidate) => c.strength - o.octaveCost * log2(o.floorHz / c.frequency);
    peaks.sort((a, b) => rank(b) - rank(a));
    const kept = peaks.slice(0, Math.min(o.maxCandidates - 1, this.refineTop));
    for (const c of kept) {
      // At or above the ceiling a candidate only stands for "voiceless" in the path finder: no need to refine it.
      if (c.frequency >= o.ceilingHz) {
        candidates.push({ frequency: c.frequency, strength: c.strength });
        continue;
      }
      // Second pass: maximise the sinc interpolation for precision (NUMimproveMaximum).
      const best = improveMaximum(r, brentMax + c.lag, this.brentDepth, brentMax + c.start);
      candidates.push({ frequency: sr / (best.x - brentMax), strength: best.value > 1 ? 1 / best.value : best.value });
    }
    return candidates;
  }
}

/** Chooses one candidate per frame with Praat's path finder and returns the track. */
export function choosePitchPath(frames: Candidate[][], options: Required<PitchOptions>): PitchTrack {
  const n = frames.length;
  const f0Hz = new Float32Array(n);
  const strength = new Float32Array(n);
  if (n === 0) return { f0Hz, strength };
  const path = pathFinder(frames, options);
  for (let f = 0; f < n; f++) {
    const c = frames[f][path[f]];
    const isVoiced = c.frequency > 0 && c.frequency < options.ceilingHz;
    f0Hz[f] = isVoiced ? c.frequency : 0;
    strength[f] = isVoiced ? c.strength : 0;
  }
  return { f0Hz, strength };
}

/** Tracks pitch at the given frame centre times (seconds) of a mono signal. */
export function trackPitch(x: Float32Array, sampleRate: number, times: Float64Array, options: PitchOptions = {}): PitchTrack {
  const analyzer = new PitchCandidateAnalyzer(x, sampleRate, options);
  return choosePitchPath(Array.from(times, (t) => analyzer.candidates(t)), analyzer.options);
}

/** Praat's Gaussian window: (exp(−48·(i − mid)² / (N + 1)²) − e⁻¹²) / (1 − e⁻¹²), i = 1…N. */
function gaussianWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  const edge = Math.exp(-12);
  const mid = 0.5 * (n + 1);
  for (let i = 1; i <= n; i++) w[i - 1] = (Math.exp((-48 * (i - mid) * (i - mid)) / ((n + 1) * (n + 1))) - edge) / (1 - edge);
  return w;
}

/** Praat's Hanning window: 0.5 − 0.5·cos(2πi / (N + 1)), i = 1…N (not dsp.ts hannWindow, which samples (i + 0.5)/N). */
function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 1; i <= n; i++) w[i - 1] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n + 1));
  return w;
}

/** Viterbi over candidates, as Praat's Pitch_pathFinder (time step 10 ms ⇒ no time-step correction). */
function pathFinder(frames: Candidate[][], o: Required<PitchOptions>): Int32Array {
  const n = frames.length;
  const voiced = (f: number) => f > 0 && f < o.ceilingHz;
  // Candidates at or above the ceiling count as voiceless (Pitch_util_frequencyIsVoiced).
  const local = (c: Candidate, f: number) =>
    voiced(c.frequency) ? c.strength - o.octaveCost * log2(o.ceilingHz / c.frequency) : frames[f][0].strength;
  let delta = frames[0].map((c) => local(c, 0));
  const psi: Int32Array[] = [new Int32Array(frames[0].length)];
  for (let f = 1; f < n; f++) {
    const prevFrame = frames[f - 1];
    const cur = frames[f];
    const nextDelta = new Array<number>(cur.length);
    const back = new Int32Array(cur.length);
    for (let j = 0; j < cur.length; j++) {
      const v2 = voiced(cur[j].frequency);
      const f2 = cur[j].frequency;
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < prevFrame.length; i++) {
        const f1 = prevFrame[i].frequency;
        const v1 = voiced(f1);
        let transition: number;
        if (!v2) transition = v1 ? o.voicedUnvoicedCost : 0;
        else if (!v1) transition = o.voicedUnvoicedCost;
        else transition = o.octaveJumpCost * Math.abs(log2(f1 / f2));
        const v = delta[i] - transition;
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      nextDelta[j] = best + local(cur[j], f);
      back[j] = arg;
    }
    delta = nextDelta;
    psi.push(back);
  }
  const path = new Int32Array(n);
  let place = 0;
  for (let j = 1; j < delta.length; j++) if (delta[j] > delta[place]) place = j;
  for (let f = n - 1; f >= 0; f--) {
    path[f] = place;
    place = psi[f][place];
  }
  return path;
}
