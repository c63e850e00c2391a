/**
 * The prosody extractor: per-frame low-level descriptors at a 10 ms hop (eGeMAPS v02 frame rate; Eyben et al. 2016)
 * and window functionals packed in PROSODY_FEATURES order. Pure TypeScript with no DOM: the same code runs in Node
 * (eval scripts, tests), in workers and in the AudioWorkletGlobalScope (prosody.worklet.ts).
 *
 * Input of any rate (8–48 kHz) is resampled to 16 kHz first; multi-channel input goes through `toMono`.
 */
import { ANALYSIS_RATE, frameTimes, prepareSignalStepwise } from './dsp';
import { PROSODY_FEATURES } from './features';
import { windowFeatures } from './window-features';
import { choosePitchPath, PitchCandidateAnalyzer, type Candidate, type PitchOptions } from './pitch';
import { SpectralAnalyzer } from './spectral';
import { HarmonicityAnalyzer, VoiceQualityAnalyzer } from './voice-quality';
import type { ProsodyWindow } from '../shared/types';

export { toMono, resample, ANALYSIS_RATE } from './dsp';

/** eGeMAPS v02 and Praat both use a 10 ms frame step. */
export const FRAME_HOP_SEC = 0.01;

export interface ExtractOptions {
  /** Praat pitch settings; floor/ceiling should follow the speaker (e.g. 75–500 Hz male, 100–600 Hz female). */
  pitch?: PitchOptions;
  /** Centre time of the first frame, seconds (default: half a hop). The Praat eval aligns this with Praat's grid. */
  firstFrameTime?: number;
}

/**
 * Per-frame LLDs. Values that are undefined in a frame (e.g. jitter in an unvoiced frame) are NaN here; windows
 * turn them into `present = 0`.
 */
export interface ProsodyFrames {
  /** The analysis rate (always ANALYSIS_RATE). */
  sampleRate: number;
  duration: number;
  hopSec: number;
  /** Frame centre times, seconds from the start of the analysed signal. */
  times: Float64Array;
  /** Hz, 0 = unvoiced. */
  f0Hz: Float32Array;
  /** Semitones re 27.5 Hz (eGeMAPS v02 F0semitoneFrom27.5Hz); NaN when unvoiced. */
  f0Semitones: Float32Array;
  loudness: Float32Array;
  /** Harmonics-to-noise ratio (Praat Harmonicity (ac)), dB; NaN where Praat would give −200 dB. */
  hnrDb: Float32Array;
  /** Praat jitter (local) of the periods inside each voiced frame's 60 ms window (fraction). */
  jitter: Float32Array;
  /** Praat shimmer (local, dB) of the periods inside each voiced frame's 60 ms window. */
  shimmerDb: Float32Array;
  h1h2: Float32Array;
  h1a3: Float32Array;
  f1: Float32Array;
  f1Bandwidth: Float32Array;
  f2: Float32Array;
  f3: Float32Array;
  alphaRatio: Float32Array;
  hammarberg: Float32Array;
  slope0_500: Float32Array;
  slope500_1500: Float32Array;
  spectralFlux: Float32Array;
  mfcc: [Float32Array, Float32Array, Float32Array, Float32Array];
  /** Mean square of each 25 ms frame (full scale = 1). */
  power: Float32Array;
  /** Glottal pulse times (s) from the period marker, for window-level jitter and shimmer. */
  pulses: Float64Array;
  /** Peak amplitude of the period ending at each pulse (NaN for the first pulse of a voiced run). */
  pulseAmplitudes: Float64Array;
}

/** eGeMAPS v02: F0 in semitones re 27.5 Hz, 12·log2(f / 27.5). */
export function hzToSemitones(hz: number): number {
  return 12 * Math.log2(hz / 27.5);
}

/** Frames analysed between two yields of `analyzeProsodyFramesStepwise`. */
const FRAMES_PER_STEP = 4;

/**
 * Per-frame low-level descriptors at a 10 ms hop, as a generator that yields every few frames so a real-time
 * thread (the AudioWorklet) can spread one window's analysis over many render quanta. `analyzeProsodyFrames`
 * drains it synchronously.
 */
export function* analyzeProsodyFramesStepwise(
  samples: Float32Array, sampleRate: number, opts: ExtractOptions = {},
): Generator<void, ProsodyFrames, void> {
  const x = yield* prepareSignalStepwise(samples, sampleRate);
  const sr = ANALYSIS_RATE;
  const duration = x.length / sr;
  const times = frameTimes(duration, FRAME_HOP_SEC, opts.firstFrameTime ?? FRAME_HOP_SEC / 2);
  const n = times.length;
  const pitch = new PitchCandidateAnalyzer(x, sr, opts.pitch);
  const harmonicity = new HarmonicityAnalyzer(x, sr, pitch.options.floorHz);
  const spectral = new SpectralAnalyzer(sr);
  const nan = () => new Float32Array(n).fill(NaN);
  const candidates: Candidate[][] = new Array(n);
  const loudness = new Float32Array(n);
  const power = new Float32Array(n);
  const hnrDb = nan();
  const alphaRatio = nan(), hammarberg = nan(), slope0_500 = nan(), slope500_1500 = nan(), spectralFlux = nan();
  const mfcc: ProsodyFrames['mfcc'] = [nan(), nan(), nan(), nan()];
  for (let i = 0; i < n; i++) {
    candidates[i] = pitch.candidates(times[i]);
    hnrDb[i] = harmonicity.hnrDb(times[i]);
    const s = spectral.analyze(x, times[i]);
    loudness[i] = s.loudness;
    power[i] = s.power;
    alphaRatio[i] = s.alphaRatio;
    hammarberg[i] = s.hammarberg;
    slope0_500[i] = s.slope0_500;
    slope500_1500[i] = s.slope500_1500;
    spectralFlux[i] = i === 0 ? NaN : s.flux;
    for (let k = 0; k < 4; k++) mfcc[k][i] = s.mfcc[k];
    if (i % FRAMES_PER_STEP === FRAMES_PER_STEP - 1) yield;
  }
  const { f0Hz } = choosePitchPath(candidates, pitch.options);
  const f0Semitones = new Float32Array(n);
  for (let i = 0; i < n; i++) f0Semitones[i] = f0Hz[i] > 0 ? hzToSemitones(f0Hz[i]) : NaN;
  yield;

  const quality = new VoiceQualityAnalyzer(x, sr, times, f0Hz);
  const jitter = nan(), shimmerDb = nan(), h1h2 = nan(), h1a3 = nan();
  const f1 = nan(), f1Bandwidth = nan(), f2 = nan(), f3 = nan();
  for (let i = 0; i < n; i++) {
    if (!(f0Hz[i] > 0)) continue;
    const q = quality.frame(times[i], f0Hz[i]);
    jitter[i] = q.jitter;
    shimmerDb[i] = q.shimmerDb;
    h1h2[i] = q.h1h2;
    h1a3[i] = q.h1a3;
    f1[i] = q.f1;
    f1Bandwidth[i] = q.f1Bandwidth;
    f2[i] = q.f2;
    f3[i] = q.f3;
    if (i % FRAMES_PER_STEP === FRAMES_PER_STEP - 1) yield;
  }
  return {
    sampleRate: sr, duration, hopSec: FRAME_HOP_SEC, times, f0Hz, f0Semitones, loudness, hnrDb, jitter, shimmerDb,
    h1h2, h1a3, f1, f1Bandwidth, f2, f3, alphaRatio, hammarberg, slope0_500, slope500_1500, spectralFlux, mfcc, power,
    pulses: quality.pulses, pulseAmplitudes: quality.pulseAmplitudes,
  };
}

/** Runs a stepwise analysis to completion. */
export function drain<T>(job: Generator<void, T, void>): T {
  for (;;) {
    const r = job.next();
    if (r.done) return r.value;
  }
}

/**
 * Per-frame low-level descriptors at a 10 ms hop. Never throws on odd input: empty, silent or clipped signals
 * give empty or unvoiced frames.
 */
export function analyzeProsodyFrames(samples: Float32Array, sampleRate: number, opts: ExtractOptions = {}): ProsodyFrames {
  return drain(analyzeProsodyFramesStepwise(samples, sampleRate, opts));
}

export interface WindowOptions extends ExtractOptions {
  /** Window length, seconds (default 2). */
  windowSec?: number;
  /** Hop between window starts, seconds (default 1). */
  hopSec?: number;
  /** Time of sample 0, seconds (live mode passes the stream time). */
  startTime?: number;
}

/** One ProsodyWindow from frames whose centres fall in [from, to) seconds of the analysed signal. */
export function windowFromFrames(frames: ProsodyFrames, from: number, to: number, timeOffset = 0): ProsodyWindow {
  const idx: number[] = [];
  for (let i = 0; i < frames.times.length; i++) if (frames.times[i] >= from && frames.times[i] < to) idx.push(i);
  const { values, present, voicedFraction } = windowFeatures(frames, idx, from, to);
  const f0Hz = Float32Array.from(idx, (i) => frames.f0Hz[i]);
  const loudness = Float32Array.from(idx, (i) => frames.loudness[i]);
  return {
    start: timeOffset + from,
    end: timeOffset + to,
    sampleRate: ANALYSIS_RATE,
    f0Hz,
    loudness,
    voicedFraction,
    features: values,
    present,
  };
}

/**
 * Windows covering the clip: starts at 0, hop, 2·hop…, each `windowSec` long and clipped to the signal; a clip
 * shorter than one window yields one short window. Frames are analysed once for the whole clip.
 */
export function prosodyWindows(samples: Float32Array, sampleRate: number, opts: WindowOptions = {}): ProsodyWindow[] {
  const windowSec = opts.windowSec ?? 2;
  const hopSec = opts.hopSec ?? 1;
  if (!(windowSec > 0) || !(hopSec > 0)) throw new Error(`windowSec and hopSec must be positive (got ${windowSec}, ${hopSec})`);
  const frames = analyzeProsodyFrames(samples, sampleRate, opts);
  const duration = frames.duration;
  const offset = opts.startTime ?? 0;
  const windows: ProsodyWindow[] = [];
  for (let start = 0; ; start += hopSec) {
    const end = Math.min(duration, start + windowSec);
    windows.push(windowFromFrames(frames, start, end, offset));
    if (start + windowSec >= duration - 1e-9) break;
  }
  return windows;
}

/** Stepwise version of `prosodyWindow` for real-time threads. */
export function* prosodyWindowStepwise(
  samples: Float32Array, sampleRate: number, start: number, end: number, opts: ExtractOptions = {},
): Generator<void, ProsodyWindow, void> {
  const s = Math.max(0, Math.floor(start * sampleRate));
  const e = Math.max(s, Math.min(samples.length, Math.ceil(end * sampleRate)));
  const frames = yield* analyzeProsodyFramesStepwise(samples.subarray(s, e), sampleRate, opts);
  return windowFromFrames(frames, 0, Math.max(0, end - start), start);
}

/** One window over [start, end) seconds of the given samples. */
export function prosodyWindow(samples: Float32Array, sampleRate: number, start: number, end: number, opts: ExtractOptions = {}): ProsodyWindow {
  return drain(prosodyWindowStepwise(samples, sampleRate, start, end, opts));
}

/** Count of features in a window vector. */
export const PROSODY_DIM = PROSODY_FEATURES.length;
