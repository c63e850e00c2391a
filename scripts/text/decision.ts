/**
 * Fitting the text model's decision rule (post-hoc τ logit adjustment, optional per-class biases for weighted F1,
 * softmax temperature) on MELD dev or on out-of-fold (cross-fitted) predictions of MELD train.
 */
import { LABELS } from '../../src/shared/labels';
import { fitTemperature, logitAdjustment } from './calibration';
import { fitClassBiases, metricsWithBias } from './decision-rule';
import type { TextNetworkState, TrainExample } from './trainer';

export type DecisionMode = 'dev-tau' | 'dev-bias' | 'oof-tau' | 'oof-bias';

export interface Decision {
  tau: number;
  /** Per-class biases on top of the τ adjustment (zeros for the *-tau modes). */
  bias: number[];
  /** Total additive logit adjustment (τ part + biases). */
  adjustment: number[];
  temperature: number;
}

/**
 * τ by weighted + macro F1 (calibration.ts); with *-bias, per-class biases for weighted F1 on top, with the macro-F1
 * floor at the τ rule's macro-F1 on the same predictions (the biases may trade nothing of macro-F1 away).
 */
export function fitDecision(mode: DecisionMode, logits: Float32Array, truth: readonly number[], prior: readonly number[]): Decision {
  const k = LABELS.length;
  if (!['dev-tau', 'dev-bias', 'oof-tau', 'oof-bias'].includes(mode)) throw new Error(`unknown decision mode ${mode}`);
  const { tau, adjustment: tauAdjustment } = logitAdjustment(logits, truth, prior);
  const adjusted = Float32Array.from(logits, (v, i) => v + tauAdjustment[i % k]);
  const bias = mode.endsWith('bias') ? fitClassBiases(adjusted, truth, { minMacro: metricsWithBias(adjusted, truth, new Array<number>(k).fill(0)).macroF1 }) : new Array<number>(k).fill(0);
  const adjustment = tauAdjustment.map((a, c) => a + bias[c]);
  const final = Float32Array.from(logits, (v, i) => v + adjustment[i % k]);
  return { tau, bias, adjustment, temperature: fitTemperature(final, truth) };
}

/**
 * Out-of-fold MELD logits: MELD train is cut into `folds` contiguous blocks (the csv is in dialogue order, so a
 * dialogue rarely straddles two folds); for each block, `train` runs on every other example (all other corpora
 * included) and `predict` scores the held-out block. Returns logits and labels in MELD-row order.
 */
export function outOfFoldLogits(
  examples: readonly TrainExample[],
  meldDomain: number,
  folds: number,
  train: (pool: readonly TrainExample[]) => TextNetworkState,
  predict: (net: TextNetworkState, rows: readonly TrainExample[]) => Float32Array,
): { logits: Float32Array; truth: number[] } {
  const k = LABELS.length;
  const meld = examples.filter((e) => e.domain === meldDomain);
  const logits = new Float32Array(meld.length * k);
  for (let f = 0; f < folds; f++) {
    const [from, to] = [Math.floor((f * meld.length) / folds), Math.floor(((f + 1) * meld.length) / folds)];
    const heldOut = new Set(meld.slice(from, to));
    const net = train(examples.filter((e) => !heldOut.has(e)));
    logits.set(predict(net, meld.slice(from, to)), from * k);
    net.dispose();
  }
  return { logits, truth: meld.map((e) => e.label) };
}
