/** Classification metrics for the text evaluation: weighted/macro F1 (sklearn definitions), per-class recall. */
import { LABELS } from '../../src/shared/labels';

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalMetrics {
  n: number;
  accuracy: number;
  weightedF1: number;
  macroF1: number;
  perClass: Record<string, ClassMetrics>;
  /** confusion[true][predicted] in LABELS order. */
  confusion: number[][];
}

export { argmax } from '../lib/metrics';

/** Macro-F1 averages over classes present in the truth (sklearn's default with labels = observed). */
export function evaluate(truth: readonly number[], predicted: readonly number[]): EvalMetrics {
  const k = LABELS.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => confusion[t][predicted[i]]++);
  const perClass: Record<string, ClassMetrics> = {};
  let weighted = 0;
  let macro = 0;
  let present = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c][c];
    correct += tp;
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[LABELS[c]] = { precision, recall, f1, support };
    weighted += f1 * support;
    if (support > 0) {
      macro += f1;
      present++;
    }
  }
  const n = truth.length;
  return { n, accuracy: n ? correct / n : 0, weightedF1: n ? weighted / n : 0, macroF1: present ? macro / present : 0, perClass, confusion };
}
