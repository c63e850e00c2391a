/**
 * Glottal pulses as Praat's "Sound & Pitch: To PointProcess (cc)" marks them (Sound_Pitch_to_PointProcess_cc in
 * Praat's fon/Pitch_to_PointProcess.cpp): for each voiced interval, start at the absolute extremum of the period
 * in its middle, then walk left and right one period at a time to the position whose one-period window correlates
 * best with the current one (searched 0.8–1.25 periods away, refined by a parabola). Positions stay fractional,
 * so periods keep sub-sample precision. Times are seconds with sample i at i / sampleRate.
 */

/** F0 at t (s) as Praat's Pitch_getValueAtTime (linear): nearest frame must be voiced; NaN otherwise. */
export function pitchAt(times: Float64Array, f0Hz: Float32Array, t: number): number {
  const n = times.length;
  if (n === 0) return NaN;
  const hop = n > 1 ? times[1] - times[0] : 0.01;
  if (t < times[0] - 0.5 * hop || t > times[n - 1] + 0.5 * hop) return NaN;
  const pos = (t - times[0]) / hop;
  const left = Math.floor(pos);
  let phase = pos - left;
  let near: number, far: number;
  if (phase < 0.5) {
    near = left;
    far = left + 1;
  } else {
    far = left;
    near = left + 1;
    phase = 1 - phase;
  }
  if (near < 0 || near >= n || !(f0Hz[near] > 0)) return NaN;
  if (far < 0 || far >= n || !(f0Hz[far] > 0)) return f0Hz[near];
  return f0Hz[near] + phase * (f0Hz[far] - f0Hz[near]);
}

/** Time of the absolute extremum in [tmin, tmax], parabolically interpolated (Praat Sound_findExtremum). */
function findExtremum(x: Float32Array, sr: number, tmin: number, tmax: number): number {
  const i0 = Math.max(0, Math.floor(tmin * sr)), i1 = Math.min(x.length - 1, Math.ceil(tmax * sr));
  if (i1 < i0) return 0.5 * (tmin + tmax);
  let imin = i0, imax = i0;
  for (let i = i0 + 1; i <= i1; i++) {
    if (x[i] < x[imin]) imin = i;
    if (x[i] > x[imax]) imax = i;
  }
  if (x[imin] === x[imax]) return 0.5 * (tmin + tmax);
  const ie = Math.abs(x[imin]) > Math.abs(x[imax]) ? imin : imax;
  if (ie === i0 || ie === i1) return ie / sr;
  const l = x[ie - 1], m = x[ie], r = x[ie + 1];
  return (ie + (0.5 * (r - l)) / (2 * m - l - r)) / sr;
}

/**
 * Praat Sound_findMaximumCorrelation: where in [tmin2, tmax2] does the one-period window around t1 recur best?
 * Returns the correlation (−1 if no local maximum), the refined time and the peak |amplitude| of that window.
 */
function findMaximumCorrelation(x: Float32Array, sr: number, t1: number, windowLength: number, tmin2: number, tmax2: number) {
  const half = 0.5 * windowLength;
  const ileft1 = Math.round((t1 - half) * sr), iright1 = Math.round((t1 + half) * sr);
  const ileft2min = Math.floor((tmin2 - half) * sr), ileft2max = Math.ceil((tmax2 - half) * sr);
  let best = -1, r1Best = NaN, r3Best = NaN, ir = NaN, peak = 0;
  let r1: number, r2 = 0, r3 = 0;
  for (let ileft2 = ileft2min; ileft2 <= ileft2max; ileft2++) {
    let norm1 = 0, norm2 = 0, product = 0, localPeak = 0;
    for (let i1 = ileft1, i2 = ileft2; i1 <= iright1; i1++, i2++) {
      if (i1 < 0 || i1 >= x.length || i2 < 0 || i2 >= x.length) continue;
      const a = x[i1], b = x[i2];
      norm1 += a * a;
      norm2 += b * b;
      product += a * b;
      if (Math.abs(b) > localPeak) localPeak = Math.abs(b);
    }
    r1 = r2;
    r2 = r3;
    r3 = norm1 === 0 || norm2 === 0 ? 0 : product / Math.sqrt(norm1 * norm2);
    if (r2 > best && r2 >= r1 && r2 >= r3) {
      r1Best = r1;
      best = r2;
      r3Best = r3;
      ir = ileft2 - 1;
      peak = localPeak;
    }
  }
  let time = NaN;
  if (best > -1) {
    let height = NaN;
    const d2r = best - r1Best + (best - r3Best);
    if (d2r !== 0) {
      const dr = 0.5 * (r3Best - r1Best);
      height = best + (0.5 * dr * dr) / d2r;
      ir += dr / d2r;
    }
    const peakTime = t1 + (ir - ileft1) / sr;
    if (peakTime >= tmin2 && peakTime <= tmax2) {
      time = peakTime;
      if (Number.isFinite(height)) best = height;
    } else {
      const middle = Math.sqrt((tmin2 - t1) * (tmax2 - t1));
      time = tmin2 < t1 ? t1 - middle : t1 + middle;
      if (r3 > best) best = r3;
    }
  }
  return { correlation: best, time, peak };
}

/** Pulse times (s), ascending. `times`/`f0Hz` are the pitch frames (0 Hz = unvoiced). */
export function markPulses(x: Float32Array, sampleRate: number, times: Float64Array, f0Hz: Float32Array): Float64Array {
  const sr = sampleRate;
  const points: number[] = [];
  const hop = times.length > 1 ? times[1] - times[0] : 0.01;
  let globalPeak = 0;
  for (let i = 0; i < x.length; i++) globalPeak = Math.max(globalPeak, Math.abs(x[i]));
  let addedRight = -Infinity;
  let i = 0;
  while (i < times.length) {
    if (!(f0Hz[i] > 0)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < times.length && f0Hz[j + 1] > 0) j++;
    const tleft = Math.max(0, times[i] - 0.5 * hop), tright = Math.min(x.length / sr, times[j] + 0.5 * hop);
    i = j + 1;
    const tmiddle = 0.5 * (tleft + tright);
    const f0middle = pitchAt(times, f0Hz, tmiddle);
    if (!(f0middle > 0)) continue;
    const first = findExtremum(x, sr, tmiddle - 0.5 / f0middle, tmiddle + 0.5 / f0middle);
    points.push(first);
    for (let tmax = first; ; ) {
      const f0 = pitchAt(times, f0Hz, tmax);
      if (!(f0 > 0)) break;
      const c = findMaximumCorrelation(x, sr, tmax, 1 / f0, tmax - 1.25 / f0, tmax - 0.8 / f0);
      tmax = c.correlation === -1 ? tmax - 1 / f0 : c.time;
      if (tmax < tleft) {
        if (c.correlation > 0.7 && c.peak > 0.023333 * globalPeak && tmax - addedRight > 0.8 / f0) points.push(tmax);
        break;
      }
      if (c.correlation > 0.3 && (c.peak === 0 || c.peak > 0.01 * globalPeak) && tmax - addedRight > 0.8 / f0) points.push(tmax);
    }
    for (let tmax = first; ; ) {
      const f0 = pitchAt(times, f0Hz, tmax);
      if (!(f0 > 0)) break;
      const c = findMaximumCorrelation(x, sr, tmax, 1 / f0, tmax + 0.8 / f0, tmax + 1.25 / f0);
      tmax = c.correlation === -1 ? tmax + 1 / f0 : c.time;
      if (tmax > tright) {
        if (c.correlation > 0.7 && c.peak > 0.023333 * globalPeak) {
          points.push(tmax);
          addedRight = tmax;
        }
        break;
      }
      if (c.correlation > 0.3 && (c.peak === 0 || c.peak > 0.01 * globalPeak)) {
        points.push(tmax);
        addedRight = tmax;
      }
    }
  }
  // PointProcess_addPoint keeps the points sorted and unique.
  points.sort((a, b) => a - b);
  return Float64Array.from(points.filter((t, k) => k === 0 || t !== points[k - 1]));
}
