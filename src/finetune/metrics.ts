/** Held-out metrics for the Teach view (accuracy, per-class F1, macro F1) and a 2-D PCA for the embedding plot. */
import type { ClassMetrics } from './types';

export function classMetrics(truth: readonly number[], predicted: readonly number[], numClasses: number): ClassMetrics {
  const n = truth.length;
  const f1: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === c && truth[i] === c) tp++;
      else if (predicted[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    f1.push(tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));
  }
  const present = Array.from({ length: numClasses }, (_, c) => truth.includes(c));
  const scored = f1.filter((_, c) => present[c]);
  const correct = truth.reduce((a, t, i) => a + (t === predicted[i] ? 1 : 0), 0);
  return {
    accuracy: n ? correct / n : 0,
    macroF1: scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : 0,
    f1,
    n,
  };
}

/** Leading eigenvector of a symmetric matrix by power iteration (deterministic start). */
function leadingEigenvector(cov: Float64Array, d: number): Float64Array {
  let v = new Float64Array(d).map((_, i) => 1 / Math.sqrt(d) + i * 1e-3);
  for (let it = 0; it < 200; it++) {
    const next = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) next[i] += cov[i * d + j] * v[j];
    const norm = Math.hypot(...next) || 1;
    for (let i = 0; i < d; i++) next[i] /= norm;
    v = next;
  }
  return v;
}

/** Projects row vectors onto their first two principal components (deflation after the first). */
export function pca2(rows: readonly Float32Array[]): [number, number][] {
  if (rows.length === 0) return [];
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += r[i] / rows.length;
  const cov = new Float64Array(d * d);
  for (const r of rows) {
    for (let i = 0; i < d; i++) {
      const a = r[i] - mean[i];
      for (let j = 0; j < d; j++) cov[i * d + j] += (a * (r[j] - mean[j])) / rows.length;
    }
  }
  const pc1 = leadingEigenvector(cov, d);
  let lambda = 0;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) lambda += pc1[i] * cov[i * d + j] * pc1[j];
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= lambda * pc1[i] * pc1[j];
  const pc2 = leadingEigenvector(cov, d);
  return rows.map((r) => {
    let x = 0;
    let y = 0;
    for (let i = 0; i < d; i++) {
      x += (r[i] - mean[i]) * pc1[i];
      y += (r[i] - mean[i]) * pc2[i];
    }
    return [x, y];
  });
}

/**
 * Deterministic stratified split: within each class, every k-th clip (k ≈ 1/fraction) goes to validation, and a
 * class with at least two clips always keeps at least one of each.
 */
export function stratifiedSplit(labels: readonly number[], fraction: number): boolean[] {
  const validation = labels.map(() => false);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => byClass.set(y, [...(byClass.get(y) ?? []), i]));
  for (const idx of byClass.values()) {
    if (idx.length < 2) continue;
    const want = Math.min(idx.length - 1, Math.max(1, Math.round(idx.length * fraction)));
    const step = idx.length / want;
    for (let k = 0; k < want; k++) validation[idx[Math.floor(k * step + step / 2) % idx.length]] = true;
  }
  return validation;
}
