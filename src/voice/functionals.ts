/**
 * Window functionals of eGeMAPS v02 (openSMILE eGeMAPSv02_core.func.conf.inc): arithmetic mean, stddevNorm
 * (coefficient of variation), percentiles 20/50/80, the 20–80 range, mean/sd of rising and falling slopes, and the
 * temporal (rate) features. Inputs use NaN for "undefined in this frame"; outputs use `null` for "undefined in
 * this window" so callers can mark the feature missing instead of writing a fake zero.
 */

export function finiteValues(x: ArrayLike<number>, mask?: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]) && (!mask || mask[i])) out.push(x[i]);
  return out;
}

export function mean(v: number[]): number | null {
  if (v.length === 0) return null;
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

export function sd(v: number[]): number | null {
  const m = mean(v);
  if (m === null) return null;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return Math.sqrt(s / v.length);
}

/** eGeMAPS stddevNorm: sd / |mean|; undefined for fewer than two values or a zero mean. */
export function coefficientOfVariation(v: number[]): number | null {
  if (v.length < 2) return null;
  const m = mean(v)!;
  if (Math.abs(m) < 1e-12) return null;
  return sd(v)! / Math.abs(m);
}

/** Percentile by linear interpolation between order statistics (p in 0..1). */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** 3-frame moving average over defined values (openSMILE smooths LLDs with a 3-frame SMA before functionals). */
export function smooth3(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      out[i] = NaN;
      continue;
    }
    let s = 0, n = 0;
    for (let j = i - 1; j <= i + 1; j++) {
      if (j >= 0 && j < x.length && Number.isFinite(x[j])) {
        s += x[j];
        n++;
      }
    }
    out[i] = s / n;
  }
  return out;
}

/**
 * Slopes of the rising and falling parts of a contour: within each run of defined frames, the contour is cut at
 * its local extrema and each monotonic part gives (end − start) / duration. Falling slopes are returned positive.
 */
export function contourSlopes(x: Float32Array, hopSec: number): { rising: number[]; falling: number[] } {
  const rising: number[] = [];
  const falling: number[] = [];
  let i = 0;
  while (i < x.length) {
    if (!Number.isFinite(x[i])) {
      i++;
      continue;
    }
    let start = i;
    let dir = 0;
    let j = i + 1;
    for (; j <= x.length; j++) {
      const end = j === x.length || !Number.isFinite(x[j]);
      const d = end ? 0 : Math.sign(x[j] - x[j - 1]);
      if (end || (d !== 0 && dir !== 0 && d !== dir)) {
        const last = j - 1;
        if (last > start && dir !== 0) {
          const s = (x[last] - x[start]) / ((last - start) * hopSec);
          (dir > 0 ? rising : falling).push(Math.abs(s));
        }
        if (end) break;
        start = last;
        dir = d;
      } else if (dir === 0 && d !== 0) {
        dir = d;
      }
    }
    i = j;
  }
  return { rising, falling };
}

/** Lengths (s) of runs of 1s and of 0s in a voicing mask. Runs touching the window edges are included. */
export function segmentLengths(voiced: ArrayLike<number>, hopSec: number): { voiced: number[]; unvoiced: number[] } {
  const v: number[] = [];
  const u: number[] = [];
  let run = 0;
  for (let i = 0; i < voiced.length; i++) {
    run++;
    if (i === voiced.length - 1 || (voiced[i + 1] ? 1 : 0) !== (voiced[i] ? 1 : 0)) {
      (voiced[i] ? v : u).push(run * hopSec);
      run = 0;
    }
  }
  return { voiced: v, unvoiced: u };
}

/**
 * Loudness peaks: 3-frame-smoothed local maxima that dominate ±50 ms and exceed 10 % of the window's maximum
 * (a syllable-nucleus proxy; eGeMAPS loudnessPeaksPerSec).
 */
export function countPeaks(x: Float32Array, halfWidth = 5): number {
  const s = smooth3(x);
  let max = 0;
  for (const v of s) if (Number.isFinite(v)) max = Math.max(max, v);
  if (max <= 0) return 0;
  let peaks = 0;
  for (let i = 1; i < s.length - 1; i++) {
    if (!(s[i] > 0.1 * max)) continue;
    let isPeak = true;
    for (let j = Math.max(0, i - halfWidth); j <= Math.min(s.length - 1, i + halfWidth) && isPeak; j++) {
      if (j < i ? s[j] >= s[i] : j > i ? s[j] > s[i] : false) isPeak = false;
    }
    if (isPeak) peaks++;
  }
  return peaks;
}
