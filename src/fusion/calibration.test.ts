import { describe, expect, it } from 'vitest';
import { PersonCalibration, type CalibrationScheme } from './calibration';

const scheme = (priorCount: number): CalibrationScheme => ({
  mode: 'person-zscore-shrunk',
  priorCount,
  minWindows: 3,
  population: {
    face: { mean: [0, 10], variance: [1, 4], neutralOffset: [1, 0] },
    voice: { mean: [5], variance: [9], neutralOffset: [0] },
  },
});

describe('PersonCalibration', () => {
  it('without a population prior z-scores against the person (sample sd)', () => {
    const cal = new PersonCalibration(scheme(0)).fit('face', [[1, 10], [3, 10], [5, 10]]);
    // feature 0: mean 3, sd 2 → (5 − 3)/2 = 1; feature 1: zero variance → floored, (10 − 10) → 0.
    const z = cal.apply('face', [5, 10])!;
    expect(z[0]).toBeCloseTo(1, 6);
    expect(z[1]).toBeCloseTo(0, 6);
  });

  it('shrinks toward the population with pseudo-count k', () => {
    // One window x = 4 on voice, k = 1: mean = (4 + 5)/2 = 4.5; var = (1·9 + 1·9)/2 = 9 (n = 1 uses the population var).
    const cal = new PersonCalibration(scheme(1));
    cal.update('voice', [4]);
    expect(cal.apply('voice', [7.5])![0]).toBeCloseTo(1, 6);
    // No data at all: pure population z-score.
    expect(new PersonCalibration(scheme(1)).apply('voice', [8])![0]).toBeCloseTo(1, 6);
  });

  it('running updates equal a batch fit; non-finite entries are skipped and map to 0', () => {
    const a = new PersonCalibration(scheme(2)).fit('face', [[1, 9], [2, Number.NaN], [4, 12]]);
    const b = new PersonCalibration(scheme(2));
    for (const v of [[1, 9], [2, Number.NaN], [4, 12]]) b.update('face', v);
    expect(Array.from(a.apply('face', [3, 11])!)).toEqual(Array.from(b.apply('face', [3, 11])!));
    expect(a.apply('face', [Number.NaN, 11])![0]).toBe(0);
  });

  it('neutral enrolment shifts the baseline by the population offset (in person sd units)', () => {
    const cal = new PersonCalibration(scheme(0));
    cal.enrolNeutral('face', [[0, 10], [2, 10]]);
    // neutral mean 1, sd √2, offset +1 sd → baseline 1 + √2: x = 1 + √2 reads 0.
    expect(cal.apply('face', [1 + Math.SQRT2, 10])![0]).toBeCloseTo(0, 5);
    expect(cal.status().enrolled).toBe(true);
  });

  it('reports status for the UI and resets', () => {
    const cal = new PersonCalibration(scheme(1));
    cal.update('voice', [1]);
    cal.update('voice', [2]);
    expect(cal.status()).toEqual({ windows: { face: 0, voice: 2 }, ready: false, enrolled: false });
    cal.update('voice', [3]);
    expect(cal.status().ready).toBe(true);
    expect(cal.toJSON().person.voice.mean[0]).toBeCloseTo((1 + 2 + 3 + 5) / 4, 6);
    cal.reset();
    expect(cal.status().windows.voice).toBe(0);
  });

  it('rejects a wrong vector length', () => {
    expect(() => new PersonCalibration(scheme(1)).update('voice', [1, 2])).toThrow('PersonCalibration: voice vector has 2 values, expected 1');
  });
});
