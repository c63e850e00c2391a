/**
 * Decision rule for the text model: per-class additive biases on the logits chosen to maximise weighted F1 while
 * keeping macro-F1 at or above a floor (a cost-sensitive / threshold-moving rule; cf. Lipton et al. 2014, "Optimal
 * thresholding of classifiers to maximize F1"). Coordinate ascent on a grid, bias of class 0 (neutral) fixed at 0.
 */
import { LABELS } from '../../src/shared/labels';
import { argmax, evaluate, type EvalMetrics } from './metrics';

export interface BiasFitOptions {
  /** Macro-F1 floor; candidates below it are scored as (macro − floor) − 1 (always worse than any feasible one). */
  minMacro: number;
  /** Grid half-width and step. */
  range?: number;
  step?: number;
  sweeps?: number;
}

export function predictWithBias(logits: ArrayLike<number>, bias: readonly number[], rows: readonly number[]): number[] {
  const k = LABELS.length;
  const z = new Array<number>(k);
  return rows.map((i) => {
    for (let c = 0; c < k; c++) z[c] = logits[i * k + c] + bias[c];
    return argmax(z);
  });
}

export function metricsWithBias(logits: ArrayLike<number>, truth: readonly number[], bias: readonly number[], rows: readonly number[] = truth.map((_, i) => i)): EvalMetrics {
  return evaluate(rows.map((i) => truth[i]), predictWithBias(logits, bias, rows));
}

function score(m: EvalMetrics, minMacro: number): number {
  return m.macroF1 >= minMacro ? m.weightedF1 : m.macroF1 - minMacro - 1;
}

/** Per-class biases fitted on `rows` (default all) of the given logits. */
export function fitClassBiases(logits: ArrayLike<number>, truth: readonly number[], options: BiasFitOptions, rows: readonly number[] = truth.map((_, i) => i)): number[] {
  const { minMacro, range = 1.5, step = 0.05, sweeps = 3 } = options;
  const k = LABELS.length;
  const bias = new Array<number>(k).fill(0);
  let best = score(metricsWithBias(logits, truth, bias, rows), minMacro);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = false;
    for (let c = 1; c < k; c++) {
      const keep = bias[c];
      let bestValue = keep;
      for (let b = -range; b <= range + 1e-9; b += step) {
        bias[c] = Math.round(b / step) * step;
        const s = score(metricsWithBias(logits, truth, bias, rows), minMacro);
        // Ties go to the smaller |bias| (the less aggressive rule).
        if (s > best + 1e-9 || (Math.abs(s - best) <= 1e-9 && Math.abs(bias[c]) < Math.abs(bestValue))) {
          best = s;
          bestValue = bias[c];
        }
      }
      bias[c] = bestValue;
      if (bestValue !== keep) moved = true;
    }
    if (!moved) break;
  }
  return bias.map((b) => Number(b.toFixed(3)));
}
