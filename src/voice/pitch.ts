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
import { hannWindow } from './dsp';

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

/**
 * Per-frame candidate analysis (the expensive part), kept separate from the path finder so callers can spread
 * frames over time (the AudioWorklet analyses a window across many render quanta).
 */
export class PitchCandidateAnalyzer {
  readonly options: Required<PitchOptions>;
  private readonly windowLen: number;
  private readonly window: Float64Array;
  private readonly correlator: Autocorrelator<Float64Array>;
  private readonly windowAc: Float64Array;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly globalPeak: number;
  private readonly frame: Float64Array;
  private readonly ac: Float64Array;

  constructor(private readonly x: Float32Array, private readonly sampleRate: number, options: PitchOptions = {}) {
    const o = (this.options = { ...PRAAT_PITCH_DEFAULTS, ...options });
    this.windowLen = Math.max(8, Math.round((o.periodsPerWindow / o.floorHz) * sampleRate));
    this.window = hannWindow(this.windowLen);
    this.correlator = Autocorrelator.forFloat64Array(this.windowLen);
    this.windowAc = this.correlator.autocorrelate(this.window).slice();
    this.minLag = Math.max(2, Math.floor(sampleRate / o.ceilingHz));
    this.maxLag = Math.min(this.windowLen - 2, Math.ceil(sampleRate / o.floorHz));
    let peak = 0;
    for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
    this.globalPeak = peak;
    this.frame = new Float64Array(this.windowLen);
    this.ac = new Float64Array(this.windowLen);
  }

  /** Candidates of the frame centred at `time` s; index 0 is the unvoiced candidate. */
  candidates(time: number): Candidate[] {
    const { x, windowLen, window, frame, ac, windowAc, sampleRate: sr } = this;
    const o = this.options;
    const start = Math.round(time * sr - windowLen / 2);
    // Praat subtracts the mean over the frame before windowing.
    let sum = 0;
    let count = 0;
    for (let i = 0; i < windowLen; i++) {
      const j = start + i;
      if (j >= 0 && j < x.length) {
        sum += x[j];
        count++;
      }
    }
    const mean = count > 0 ? sum / count : 0;
    let localPeak = 0;
    for (let i = 0; i < windowLen; i++) {
      const j = start + i;
      const v = j >= 0 && j < x.length ? x[j] - mean : 0;
      localPeak = Math.max(localPeak, Math.abs(v));
      frame[i] = v * window[i];
    }
    const intensity = this.globalPeak > 0 ? localPeak / this.globalPeak : 0;
    const unvoicedStrength =
      o.voicingThreshold + Math.max(0, 2 - intensity / (o.silenceThreshold / (1 + o.voicingThreshold)));
    const candidates: Candidate[] = [{ frequency: 0, strength: unvoicedStrength }];
    if (localPeak <= 0) return candidates;
    this.correlator.autocorrelate(frame, ac);
    const r0 = ac[0];
    const w0 = windowAc[0];
    const r = (lag: number) => ac[lag] / r0 / (windowAc[lag] / w0);
    const peaks: Candidate[] = [];
    let prev = r(this.minLag - 1);
    let cur = r(this.minLag);
    for (let lag = this.minLag; lag <= this.maxLag; lag++) {
      const next = r(lag + 1);
      // Praat keeps local maxima above half the voicing threshold.
      if (cur > 0.5 * o.voicingThreshold && cur >= prev && cur > next) {
        const denom = prev - 2 * cur + next;
        const dLag = denom < 0 ? (0.5 * (prev - next)) / denom : 0;
        let peak = denom < 0 ? cur - (0.125 * ((prev - next) * (prev - next))) / denom : cur;
        if (peak > 1) peak = 1 / peak; // Praat: a too-high peak from the window correction is reflected
        const frequency = sr / (lag - dLag);
        if (frequency >= o.floorHz && frequency <= o.ceilingHz) peaks.push({ frequency, strength: peak });
      }
      prev = cur;
      cur = next;
    }
    // Keep the strongest, ranked as Praat ranks them (octave cost relative to the floor).
    const rank = (c: Candidate) => c.strength - o.octaveCost * log2(o.floorHz / c.frequency);
    peaks.sort((a, b) => rank(b) - rank(a));
    for (let k = 0; k < Math.min(peaks.length, o.maxCandidates - 1); k++) candidates.push(peaks[k]);
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
    f0Hz[f] = c.frequency;
    strength[f] = c.frequency > 0 ? c.strength : 0;
  }
  return { f0Hz, strength };
}

/** Tracks pitch at the given frame centre times (seconds) of a mono signal. */
export function trackPitch(x: Float32Array, sampleRate: number, times: Float64Array, options: PitchOptions = {}): PitchTrack {
  const analyzer = new PitchCandidateAnalyzer(x, sampleRate, options);
  return choosePitchPath(Array.from(times, (t) => analyzer.candidates(t)), analyzer.options);
}

/** Viterbi over candidates, as Praat's Pitch_pathFinder (time step 10 ms ⇒ no time-step correction). */
function pathFinder(frames: Candidate[][], o: Required<PitchOptions>): Int32Array {
  const n = frames.length;
  const local = (c: Candidate) =>
    c.frequency > 0 ? c.strength - o.octaveCost * log2(o.ceilingHz / c.frequency) : c.strength;
  let delta = frames[0].map(local);
  const psi: Int32Array[] = [new Int32Array(frames[0].length)];
  for (let f = 1; f < n; f++) {
    const prevFrame = frames[f - 1];
    const cur = frames[f];
    const nextDelta = new Array<number>(cur.length);
    const back = new Int32Array(cur.length);
    for (let j = 0; j < cur.length; j++) {
      const f2 = cur[j].frequency;
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < prevFrame.length; i++) {
        const f1 = prevFrame[i].frequency;
        let transition: number;
        if (f2 === 0) transition = f1 === 0 ? 0 : o.voicedUnvoicedCost;
        else if (f1 === 0) transition = o.voicedUnvoicedCost;
        else transition = o.octaveJumpCost * Math.abs(log2(f1 / f2));
        const v = delta[i] - transition;
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      nextDelta[j] = best + local(cur[j]);
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
