/**
 * The honest per-branch baseline: class-balanced multinomial logistic regression (weights n / (K·n_c), as
 * scikit-learn's class_weight="balanced") with L2, full-batch gradient descent with Nesterov momentum.
 * Plain TypeScript: no tfjs, so it cannot share a bug with the fusion model.
 */
export interface LogisticModel {
  weights: Float64Array[];
  bias: Float64Array;
}

export function trainLogistic(
  x: readonly Float32Array[],
  y: readonly number[],
  classes: number,
  options: { l2?: number; iterations?: number; learningRate?: number } = {},
): LogisticModel {
  const l2 = options.l2 ?? 1e-2;
  const iterations = options.iterations ?? 400;
  const lr = options.learningRate ?? 0.5;
  const n = x.length;
  const d = x[0].length;
  const counts = new Array<number>(classes).fill(0);
  y.forEach((c) => counts[c]++);
  const sampleWeight = y.map((c) => n / (classes * counts[c]) / n);
  const w = Array.from({ length: classes }, () => new Float64Array(d));
  const b = new Float64Array(classes);
  const vw = Array.from({ length: classes }, () => new Float64Array(d));
  const vb = new Float64Array(classes);
  const momentum = 0.9;
  const logits = new Float64Array(classes);
  for (let it = 0; it < iterations; it++) {
    const gw = Array.from({ length: classes }, () => new Float64Array(d));
    const gb = new Float64Array(classes);
    // Look-ahead point for Nesterov.
    const wa = w.map((row, c) => row.map((v, j) => v + momentum * vw[c][j]));
    const ba = b.map((v, c) => v + momentum * vb[c]);
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let z = ba[c];
        const row = wa[c];
        for (let j = 0; j < d; j++) z += row[j] * xi[j];
        logits[c] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += (logits[c] = Math.exp(logits[c] - max));
      for (let c = 0; c < classes; c++) {
        const g = (logits[c] / sum - (c === y[i] ? 1 : 0)) * sampleWeight[i];
        if (g === 0) continue;
        gb[c] += g;
        const row = gw[c];
        for (let j = 0; j < d; j++) row[j] += g * xi[j];
      }
    }
    for (let c = 0; c < classes; c++) {
      for (let j = 0; j < d; j++) {
        vw[c][j] = momentum * vw[c][j] - lr * (gw[c][j] + l2 * wa[c][j]);
        w[c][j] += vw[c][j];
      }
      vb[c] = momentum * vb[c] - lr * gb[c];
      b[c] += vb[c];
    }
  }
  return { weights: w, bias: b };
}

export function predictLogistic(model: LogisticModel, x: Float32Array): number {
  let best = 0;
  let bestZ = -Infinity;
  model.weights.forEach((row, c) => {
    let z = model.bias[c];
    for (let j = 0; j < row.length; j++) z += row[j] * x[j];
    if (z > bestZ) {
      bestZ = z;
      best = c;
    }
  });
  return best;
}
