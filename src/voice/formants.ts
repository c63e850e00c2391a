/**
 * Formants F1–F3 and the F1 bandwidth from linear prediction, as eGeMAPS v02 (openSMILE cLpc + cFormantLpc) and
 * Praat's "To Formant" do: pre-emphasis from 50 Hz, 25 ms Hamming window, autocorrelation LPC (Levinson–Durbin),
 * roots of the predictor polynomial → frequency = arg(z)·fs/2π, bandwidth = −ln|z|·fs/π.
 */
import { hammingWindow } from './dsp';

const FRAME_SEC = 0.025;
/** Rule of thumb: 2 + fs/1000 poles for 16 kHz speech. */
const LPC_ORDER = 18;
const MIN_FORMANT_HZ = 90;
const MAX_BANDWIDTH_HZ = 1000;

const windows = new Map<number, Float64Array>();

function levinson(r: Float64Array, order: number): Float64Array | null {
  const a = new Float64Array(order + 1);
  a[0] = 1;
  let err = r[0];
  if (!(err > 0)) return null;
  const tmp = new Float64Array(order + 1);
  for (let i = 1; i <= order; i++) {
    let acc = r[i];
    for (let j = 1; j < i; j++) acc += a[j] * r[i - j];
    const k = -acc / err;
    tmp.set(a);
    for (let j = 1; j < i; j++) a[j] = tmp[j] + k * tmp[i - j];
    a[i] = k;
    err *= 1 - k * k;
    if (!(err > 0)) return null;
  }
  return a;
}

/** Roots of z^p + a1 z^(p−1) + … + ap by Durand–Kerner iteration. */
function polynomialRoots(a: Float64Array): Array<[number, number]> {
  const p = a.length - 1;
  const re = new Float64Array(p), im = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const ang = (2 * Math.PI * i) / p + 0.4;
    re[i] = 0.9 * Math.cos(ang);
    im[i] = 0.9 * Math.sin(ang);
  }
  for (let iter = 0; iter < 200; iter++) {
    let change = 0;
    for (let i = 0; i < p; i++) {
      // Evaluate polynomial at root i (Horner).
      let vr = 1, vi = 0;
      for (let k = 1; k <= p; k++) {
        const nr = vr * re[i] - vi * im[i] + a[k];
        vi = vr * im[i] + vi * re[i];
        vr = nr;
      }
      let dr = 1, di = 0;
      for (let j = 0; j < p; j++) {
        if (j === i) continue;
        const xr = re[i] - re[j], xi = im[i] - im[j];
        const nr = dr * xr - di * xi;
        di = dr * xi + di * xr;
        dr = nr;
      }
      const den = dr * dr + di * di;
      if (den === 0) continue;
      const qr = (vr * dr + vi * di) / den, qi = (vi * dr - vr * di) / den;
      re[i] -= qr;
      im[i] -= qi;
      change = Math.max(change, Math.abs(qr) + Math.abs(qi));
    }
    if (change < 1e-9) break;
  }
  return Array.from(re, (r, i) => [r, im[i]] as [number, number]);
}

export interface FrameFormants {
  f1: number;
  b1: number;
  f2: number;
  f3: number;
}

/** LPC formants of the 25 ms frame centred at `time`; NaN for formants not found. */
export function formantsOfFrame(x: Float32Array, sampleRate: number, time: number): FrameFormants {
  const len = Math.round(FRAME_SEC * sampleRate);
  let win = windows.get(len);
  if (!win) windows.set(len, (win = hammingWindow(len)));
  const start = Math.round(time * sampleRate - len / 2);
  const pre = Math.exp((-2 * Math.PI * 50) / sampleRate);
  const frame = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const j = start + i;
    const cur = j >= 0 && j < x.length ? x[j] : 0;
    const prev = j - 1 >= 0 && j - 1 < x.length ? x[j - 1] : 0;
    frame[i] = (cur - pre * prev) * win[i];
  }
  const order = LPC_ORDER;
  const r = new Float64Array(order + 1);
  for (let k = 0; k <= order; k++) {
    let s = 0;
    for (let i = k; i < len; i++) s += frame[i] * frame[i - k];
    r[k] = s;
  }
  r[0] *= 1 + 1e-9; // tiny white-noise floor keeps Levinson stable on digital silence
  const none = { f1: NaN, b1: NaN, f2: NaN, f3: NaN };
  const a = levinson(r, order);
  if (!a) return none;
  const formants: Array<{ f: number; b: number }> = [];
  for (const [zr, zi] of polynomialRoots(a)) {
    if (zi <= 0) continue;
    const f = (Math.atan2(zi, zr) * sampleRate) / (2 * Math.PI);
    const b = (-Math.log(Math.hypot(zr, zi)) * sampleRate) / Math.PI;
    if (f > MIN_FORMANT_HZ && f < sampleRate / 2 - MIN_FORMANT_HZ && b > 0 && b < MAX_BANDWIDTH_HZ) formants.push({ f, b });
  }
  formants.sort((p, q) => p.f - q.f);
  return {
    f1: formants[0]?.f ?? NaN,
    b1: formants[0]?.b ?? NaN,
    f2: formants[1]?.f ?? NaN,
    f3: formants[2]?.f ?? NaN,
  };
}
