/**
 * Spectral low-level descriptors per 25 ms frame, after eGeMAPS v02 (Eyben et al. 2016, §3.1; openSMILE
 * GeMAPSv01b_core.lld.conf.inc): loudness, MFCC 1–4, alpha ratio, Hammarberg index, spectral slopes 0–500 and
 * 500–1500 Hz, spectral flux. Loudness, MFCC and the magnitude spectrum come from meyda; the band measures are
 * eGeMAPS-specific and written here.
 */
import Meyda from 'meyda';
import { hammingWindow } from './dsp';

/** eGeMAPS: 25 ms Hamming frames for spectral LLDs; zero-padded to the FFT size. */
export const SPECTRAL_FRAME_SEC = 0.025;
const FFT_SIZE_16K = 512;

export interface SpectralFrame {
  loudness: number;
  mfcc: [number, number, number, number];
  alphaRatio: number;
  hammarberg: number;
  slope0_500: number;
  slope500_1500: number;
  flux: number;
  /** Mean square of the raw frame (for the equivalent sound level). */
  power: number;
}

const EPS = 1e-12;

/** Analyser for one sample rate; keeps the previous normalised spectrum for the flux. */
export class SpectralAnalyzer {
  private readonly frameLen: number;
  private readonly window: Float64Array;
  private readonly buffer: Float32Array;
  private previous: Float64Array | null = null;
  private readonly binHz: number;

  constructor(private readonly sampleRate: number) {
    this.frameLen = Math.round(SPECTRAL_FRAME_SEC * sampleRate);
    let size = FFT_SIZE_16K;
    while (size < this.frameLen) size *= 2;
    this.buffer = new Float32Array(size);
    this.window = hammingWindow(this.frameLen);
    this.binHz = sampleRate / size;
  }

  /** Analyses the frame centred at `time` seconds. Out-of-signal samples count as silence. */
  analyze(x: Float32Array, time: number): SpectralFrame {
    const start = Math.round(time * this.sampleRate - this.frameLen / 2);
    let power = 0;
    this.buffer.fill(0);
    for (let i = 0; i < this.frameLen; i++) {
      const j = start + i;
      const v = j >= 0 && j < x.length ? x[j] : 0;
      power += v * v;
      this.buffer[i] = v * this.window[i];
    }
    power /= this.frameLen;
    // meyda keeps its configuration globally; set it on every call so other users cannot leave it inconsistent.
    Meyda.bufferSize = this.buffer.length;
    Meyda.sampleRate = this.sampleRate;
    Meyda.windowingFunction = 'rect';
    Meyda.melBands = 26; // eGeMAPS: 26 mel bands for MFCC
    Meyda.numberOfMFCCCoefficients = 13;
    const out = Meyda.extract(['amplitudeSpectrum', 'loudness', 'mfcc'], this.buffer) as {
      amplitudeSpectrum: Float32Array;
      loudness: { total: number };
      mfcc: number[];
    } | null;
    const amp = out?.amplitudeSpectrum ?? new Float32Array(this.buffer.length / 2);
    const mfcc = out?.mfcc ?? [];
    const m = (k: number) => (Number.isFinite(mfcc[k]) ? mfcc[k] : 0);
    const loudness = Number.isFinite(out?.loudness?.total) ? out!.loudness.total : 0;

    const dbAt = (k: number) => 10 * Math.log10(amp[k] * amp[k] + EPS);
    const band = (lo: number, hi: number) => [Math.max(0, Math.ceil(lo / this.binHz)), Math.min(amp.length - 1, Math.floor(hi / this.binHz))];
    const energy = (lo: number, hi: number) => {
      const [a, b] = band(lo, hi);
      let s = 0;
      for (let k = a; k <= b; k++) s += amp[k] * amp[k];
      return s;
    };
    const peakDb = (lo: number, hi: number) => {
      const [a, b] = band(lo, hi);
      let best = -Infinity;
      for (let k = a; k <= b; k++) best = Math.max(best, dbAt(k));
      return best;
    };
    const slope = (lo: number, hi: number) => {
      const [a, b] = band(lo, hi);
      let sx = 0, sy = 0, sxx = 0, sxy = 0;
      const n = b - a + 1;
      for (let k = a; k <= b; k++) {
        const f = k * this.binHz;
        const y = dbAt(k);
        sx += f; sy += y; sxx += f * f; sxy += f * y;
      }
      const d = n * sxx - sx * sx;
      return d > 0 ? (n * sxy - sx * sy) / d : 0;
    };

    // Flux between L1-normalised magnitude spectra (openSMILE cSpecScale/cFlux with norm=1).
    let total = 0;
    for (let k = 0; k < amp.length; k++) total += amp[k];
    const normalised = new Float64Array(amp.length);
    if (total > 0) for (let k = 0; k < amp.length; k++) normalised[k] = amp[k] / total;
    let flux = 0;
    if (this.previous) for (let k = 0; k < amp.length; k++) flux += (normalised[k] - this.previous[k]) ** 2;
    this.previous = normalised;

    return {
      loudness,
      mfcc: [m(1), m(2), m(3), m(4)],
      alphaRatio: 10 * Math.log10((energy(50, 1000) + EPS) / (energy(1000, 5000) + EPS)),
      hammarberg: peakDb(0, 2000) - peakDb(2000, 5000),
      slope0_500: slope(0, 500),
      slope500_1500: slope(500, 1500),
      flux,
      power,
    };
  }
}
