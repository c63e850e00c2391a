/**
 * Signal preparation shared by live and file analysis: channel mixing, sanitising and resampling to the single
 * analysis rate. Pure TypeScript (runs in Node, workers and AudioWorkletGlobalScope).
 */

/** All analysis runs at 16 kHz: eGeMAPS' bands stop at 5 kHz, and 8–48 kHz inputs then share one code path. */
export const ANALYSIS_RATE = 16000;

/** Averages channels into one; a missing channel list yields an empty signal. */
export function toMono(channels: Float32Array[]): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channels.length === 1) return sanitize(channels[0]);
  const n = Math.min(...channels.map((c) => c.length));
  const out = new Float32Array(n);
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i];
  const g = 1 / channels.length;
  for (let i = 0; i < n; i++) out[i] *= g;
  return sanitize(out);
}

/** Replaces NaN/±Infinity by 0 and clamps to ±1 (a copy only when something had to change). */
export function sanitize(x: Float32Array): Float32Array {
  let out = x;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v) || v > 1 || v < -1) {
      if (out === x) out = Float32Array.from(x);
      out[i] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }
  }
  return out;
}

const SINC_HALF_WIDTH = 16;

/**
 * Band-limited resampling with a Hann-windowed sinc (16 zero crossings each side), cutoff at 0.95 × the lower
 * Nyquist frequency. Enough for prosody; not a mastering-grade resampler.
 */
export function resample(x: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new Error(`Invalid sample rates ${fromRate} → ${toRate}`);
  if (fromRate === toRate) return x;
  const n = Math.max(0, Math.floor((x.length * toRate) / fromRate));
  const out = new Float32Array(n);
  const ratio = fromRate / toRate;
  const cutoff = 0.95 * Math.min(1, toRate / fromRate); // in units of the input Nyquist
  const half = Math.ceil(SINC_HALF_WIDTH / cutoff);
  for (let j = 0; j < n; j++) {
    const centre = j * ratio;
    const i0 = Math.max(0, Math.ceil(centre - half));
    const i1 = Math.min(x.length - 1, Math.floor(centre + half));
    let acc = 0;
    for (let i = i0; i <= i1; i++) {
      const d = i - centre;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1));
      const arg = Math.PI * cutoff * d;
      acc += x[i] * w * cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg);
    }
    out[j] = acc;
  }
  return out;
}

/** Mono, finite, at ANALYSIS_RATE. */
export function prepareSignal(samples: Float32Array, sampleRate: number): Float32Array {
  return resample(sanitize(samples), sampleRate, ANALYSIS_RATE);
}

export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n);
  return w;
}

export function hammingWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1));
  return w;
}

/** Frame centre times on the 10 ms grid: t_i = first + i·hop, for every centre inside [0, duration). */
export function frameTimes(duration: number, hop: number, first: number): Float64Array {
  const n = duration > first ? Math.floor((duration - first) / hop - 1e-9) + 1 : 0;
  const t = new Float64Array(Math.max(0, n));
  for (let i = 0; i < t.length; i++) t[i] = first + i * hop;
  return t;
}
