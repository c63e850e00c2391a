import { describe, expect, it } from 'vitest';
import { prosodyWindow, prosodyWindowStepwise } from './extract';
import { prosodyFeatureIndex } from './features';
import { coefficientOfVariation, contourSlopes, countPeaks, percentile, segmentLengths } from './functionals';
import { alternatingPeriods, pulseTrain, tone } from './synthetic';

describe('functionals', () => {
  it('percentiles interpolate between order statistics', () => {
    const sorted = [0, 10, 20, 30, 40];
    expect(percentile(sorted, 0.2)).toBeCloseTo(8, 12);
    expect(percentile(sorted, 0.5)).toBe(20);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('coefficient of variation is sd/|mean| and undefined when it cannot be', () => {
    expect(coefficientOfVariation([1, 3])).toBeCloseTo(0.5, 12);
    expect(coefficientOfVariation([5])).toBeNull();
    expect(coefficientOfVariation([-1, 1])).toBeNull();
  });

  it('rising and falling slopes of a triangle contour, unvoiced gaps split runs', () => {
    // 0 → 1 over 10 frames (10/s at a 10 ms hop), then back down, a gap, then a flat run.
    const up = Array.from({ length: 11 }, (_, i) => i / 10);
    const x = Float32Array.from([...up, ...up.slice(0, -1).reverse(), NaN, NaN, 5, 5, 5]);
    const { rising, falling } = contourSlopes(x, 0.01);
    expect(rising).toHaveLength(1);
    expect(falling).toHaveLength(1);
    expect(rising[0]).toBeCloseTo(10, 4);
    expect(falling[0]).toBeCloseTo(10, 4);
  });

  it('segment lengths of a voicing mask', () => {
    const { voiced, unvoiced } = segmentLengths([1, 1, 0, 0, 0, 1, 0], 0.01);
    expect(voiced.map((v) => Math.round(v * 100))).toEqual([2, 1]);
    expect(unvoiced.map((v) => Math.round(v * 100))).toEqual([3, 1]);
  });

  it('counts separated loudness peaks, not ripples on a plateau', () => {
    const bumps = Float32Array.from({ length: 100 }, (_, i) => Math.max(0, Math.sin((2 * Math.PI * i) / 25)));
    expect(countPeaks(bumps)).toBe(4);
    expect(countPeaks(new Float32Array(100).fill(3))).toBe(0);
    expect(countPeaks(new Float32Array(50))).toBe(0);
  });
});

describe('extractor pieces', () => {
  it('LPC finds the resonances of a synthetic vowel (700 and 1200 Hz)', () => {
    const t = alternatingPeriods(120, 0, 2);
    const w = prosodyWindow(pulseTrain(t, t.map(() => 0.4), 2, 16000), 16000, 0, 2);
    const at = (n: string) => w.features[prosodyFeatureIndex(n)];
    expect(Math.abs(at('F1frequency_mean') - 700)).toBeLessThan(70);
    expect(Math.abs(at('F2frequency_mean') - 1200)).toBeLessThan(120);
    expect(at('F1bandwidth_mean')).toBeGreaterThan(0);
    expect(at('F1bandwidth_mean')).toBeLessThan(400);
  });

  it('the stepwise (worklet) analysis gives exactly the synchronous result', () => {
    const x = tone(180, 1.3, 44100);
    const a = prosodyWindow(x, 44100, 0, 1.3);
    const job = prosodyWindowStepwise(x, 44100, 0, 1.3);
    let steps = 0;
    let r = job.next();
    for (; !r.done; r = job.next()) steps++;
    const b = r.value;
    expect(steps).toBeGreaterThan(20);
    expect(Array.from(b.features)).toEqual(Array.from(a.features));
    expect(Array.from(b.f0Hz)).toEqual(Array.from(a.f0Hz));
  });
});
