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

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Output samples computed between two yields of `resampleStepwise`. */
const RESAMPLE_CHUNK = 2048;

/**
 * Band-limited resampling with a Hann-windowed sinc (16 zero crossings each side), cutoff at 0.95 × the lower
 * Nyquist frequency. Enough for prosody; not a mastering-grade resampler. A generator that yields every few
 * thousand output samples, so the AudioWorklet can spread it over render quanta.
 */
export function* resampleStepwise(x: Float32Array, fromRate: number, toRate: number): Generator<void, Float32Array, void> {
  if (!(fromRate > 0) || !(toRate > 0)) throw new Error(`Invalid sample rates ${fromRate} → ${toRate}`);
  if (fromRate === toRate) return x;
  const n = Math.max(0, Math.floor((x.length * toRate) / fromRate));
  const out = new Float32Array(n);
  const cutoff = 0.95 * Math.min(1, toRate / fromRate); // in units of the input Nyquist
  const half = Math.ceil(SINC_HALF_WIDTH / cutoff);
  const tap = (d: number) => {
    const arg = Math.PI * cutoff * d;
    return (0.5 + 0.5 * Math.cos((Math.PI * d) / (half + 1))) * cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg);
  };
  // Integer rates repeat the kernel's sub-sample phase every toRate / gcd outputs: tabulate those kernels once.
  const integral = Number.isInteger(fromRate) && Number.isInteger(toRate);
  const g = integral ? gcd(fromRate, toRate) : 1;
  const phases = integral ? toRate / g : Infinity;
  const width = 2 * half + 2;
  const table = phases <= 4096 ? new Float64Array(phases * width) : null;
  if (table) {
    for (let p = 0; p < phases; p++) {
      const frac = (p * g) / toRate;
      for (let m = -half; m <= half + 1; m++) table[p * width + m + half] = tap(m - frac);
    }
  }
  for (let j = 0; j < n; j++) {
    let acc = 0;
    if (table) {
      const num = j * fromRate;
      const base = Math.floor(num / toRate);
      const p = (num - base * toRate) / g;
      const row = p * width + half;
      const m0 = Math.max(-half, -base), m1 = Math.min(half + 1, x.length - 1 - base);
      for (let m = m0; m <= m1; m++) acc += x[base + m] * table[row + m];
    } else {
      const centre = (j * fromRate) / toRate;
      const i0 = Math.max(0, Math.ceil(centre - half));
      const i1 = Math.min(x.length - 1, Math.floor(centre + half));
      for (let i = i0; i <= i1; i++) acc += x[i] * tap(i - centre);
    }
    out[j] = acc;
    if (j % RESAMPLE_CHUNK === RESAMPLE_CHUNK - 1) yield;
  }
  return out;
}

export function resample(x: Float32Array, fromRate: number, toRate: number): Float32Array {
  const job = resampleStepwise(x, fromRate, toRate);
  for (;;) {
    const r = job.next();
    if (r.done) return r.value;
  }
}

export function prepareSignalStepwise(samples: Float32Array, sampleRate: number): Generator<void, Float32Array, void> {
  return resampleStepwise(sanitize(samples), sampleRate, ANALYSIS_RATE);
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
