import { describe, expect, it } from 'vitest';
import { argmax, classificationReport, confusionMatrix } from './metrics';

describe('confusionMatrix', () => {
  it('counts true-by-predicted pairs', () => {
    expect(confusionMatrix([0, 0, 1, 2], [0, 1, 1, 1], 3)).toEqual([[1, 1, 0], [0, 1, 0], [0, 1, 0]]);
  });
  it('rejects mismatched lengths and out-of-range classes', () => {
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow('confusionMatrix: 1 truths vs 2 predictions');
    expect(() => confusionMatrix([0], [2], 2)).toThrow('class index out of range at 0');
  });
});

describe('classificationReport', () => {
  // Worked by hand as scikit-learn defines them: y_true=[0,0,0,1,1,2], y_pred=[0,0,1,1,2,2]
  // f1_score(average='macro') = 0.6556, average='weighted' = 0.6778, accuracy = 0.6667, balanced acc = 0.7222
  const report = classificationReport([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
  it('matches scikit-learn on a small example', () => {
    expect(report.accuracy).toBeCloseTo(4 / 6, 6);
    // per-class F1: 0.8, 0.5, 0.6667
    expect(report.perClass.map((c) => c.f1)).toEqual([expect.closeTo(0.8, 6), expect.closeTo(0.5, 6), expect.closeTo(2 / 3, 6)]);
    expect(report.macroF1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 6);
    expect(report.weightedF1).toBeCloseTo((0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6, 6);
    expect(report.uar).toBeCloseTo((2 / 3 + 1 / 2 + 1) / 3, 6);
  });
  it('gives a class that is never predicted F1 0 and still counts it in the macro mean', () => {
    const r = classificationReport([0, 1], [0, 0], 2);
    expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.macroF1).toBeCloseTo((2 / 3) / 2, 6);
  });
  it('argmax takes the first maximum', () => {
    expect(argmax([0.1, 0.5, 0.5])).toBe(1);
  });
});
