import { describe, expect, it } from 'vitest';
import { predictLogistic, trainLogistic } from './logreg';

describe('class-balanced logistic regression baseline', () => {
  it('separates three Gaussian-ish clusters', () => {
    const x: Float32Array[] = [];
    const y: number[] = [];
    let s = 3;
    const r = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.6;
    const centres = [[2, 0], [0, 2], [-2, -2]];
    centres.forEach((c, k) => {
      for (let i = 0; i < (k === 2 ? 5 : 40); i++) {
        x.push(Float32Array.from([c[0] + r(), c[1] + r()]));
        y.push(k);
      }
    });
    const model = trainLogistic(x, y, 3, { iterations: 200 });
    const correct = x.filter((v, i) => predictLogistic(model, v) === y[i]).length;
    expect(correct).toBe(x.length);
  });

  it('class weighting moves the boundary toward the majority class', () => {
    // 1-D: 50 samples of class 0 at −1…0, 5 of class 1 at 0…1 with overlap at 0. A balanced model calls 0.05 class 1.
    const x: Float32Array[] = [];
    const y: number[] = [];
    for (let i = 0; i < 50; i++) {
      x.push(Float32Array.from([-1 + i / 40]));
      y.push(0);
    }
    for (let i = 0; i < 5; i++) {
      x.push(Float32Array.from([i / 5]));
      y.push(1);
    }
    const model = trainLogistic(x, y, 2, { iterations: 400, l2: 0 });
    expect(predictLogistic(model, Float32Array.from([0.3]))).toBe(1);
    expect(predictLogistic(model, Float32Array.from([-0.8]))).toBe(0);
  });
});
