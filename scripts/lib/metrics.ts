/**
 * Classification metrics over class indices (pure; no tfjs). Definitions follow scikit-learn's
 * `f1_score(average='macro'|'weighted')`, `accuracy_score`, `balanced_accuracy_score` (= UAR) and
 * `confusion_matrix`; a class with no true and no predicted samples contributes F1 0 to the macro mean only
 * when it is listed in `classes` (sklearn's `labels=` argument) — callers pass the classes they evaluate.
 *
 * @example
 *   const m = classificationReport([0, 1, 1], [0, 1, 0], 2);
 *   m.macroF1 // 0.6667, m.accuracy // 0.6667
 */

/** confusion[t][p] = number of samples of true class t predicted as p. */
export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classCount: number): number[][] {
  if (truth.length !== predicted.length) throw new Error(`confusionMatrix: ${truth.length} truths vs ${predicted.length} predictions`);
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (!(t >= 0 && t < classCount && p >= 0 && p < classCount)) throw new Error(`confusionMatrix: class index out of range at ${i}`);
    matrix[t][p]++;
  });
  return matrix;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Number of true samples of the class. */
  support: number;
}

/** Per-class precision/recall/F1 from a confusion matrix (0 where undefined, as sklearn's zero_division=0). */
export function perClassScores(confusion: number[][]): ClassScores[] {
  return confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, r) => s + r[c], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

export interface ClassificationReport {
  n: number;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  /** Unweighted average recall (balanced accuracy) over classes with support. */
  uar: number;
  perClass: ClassScores[];
  confusion: number[][];
}

export function classificationReport(truth: readonly number[], predicted: readonly number[], classCount: number): ClassificationReport {
  const confusion = confusionMatrix(truth, predicted, classCount);
  const perClass = perClassScores(confusion);
  const n = truth.length;
  const correct = confusion.reduce((s, row, c) => s + row[c], 0);
  const supported = perClass.filter((c) => c.support > 0);
  return {
    n,
    accuracy: n ? correct / n : 0,
    macroF1: perClass.reduce((s, c) => s + c.f1, 0) / classCount,
    weightedF1: n ? perClass.reduce((s, c) => s + c.f1 * c.support, 0) / n : 0,
    uar: supported.length ? supported.reduce((s, c) => s + c.recall, 0) / supported.length : 0,
    perClass,
    confusion,
  };
}

/** Index of the largest value (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
