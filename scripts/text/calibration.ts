/** Dev-set choices for the text model: post-hoc logit adjustment, softmax temperature, coverage vocabulary. */
import { LABELS } from '../../src/shared/labels';
import { tokenizeUtterance } from '../../src/text/tokenize';
import { argmax, evaluate } from './metrics';

/**
 * Post-hoc logit adjustment (Menon et al. 2021, "Long-tail learning via logit adjustment"): logits − τ·log prior.
 * τ is chosen on dev to maximise weighted F1 + macro-F1 (both are targets).
 */
export function logitAdjustment(logits: Float32Array, truth: readonly number[], prior: readonly number[]): { tau: number; adjustment: number[] } {
  const k = LABELS.length;
  let best = { tau: 0, score: -Infinity };
  // τ < 0 moves back toward the majority class when training weights over-balanced.
  for (let tau = -1; tau <= 1.5001; tau += 0.1) {
    const predicted = truth.map((_, i) => argmax(Array.from({ length: k }, (_, c) => logits[i * k + c] - tau * Math.log(prior[c]))));
    const m = evaluate(truth, predicted);
    const score = m.weightedF1 + m.macroF1;
    if (score > best.score + 1e-9) best = { tau: Math.round(tau * 10) / 10, score };
  }
  return { tau: best.tau, adjustment: prior.map((p) => -best.tau * Math.log(p)) };
}

/** Temperature minimising dev negative log-likelihood (Guo et al. 2017), by grid search. */
export function fitTemperature(logits: Float32Array, truth: readonly number[]): number {
  const k = LABELS.length;
  let best = { t: 1, nll: Infinity };
  for (let t = 0.5; t <= 4.001; t += 0.05) {
    let nll = 0;
    truth.forEach((y, i) => {
      const z = Array.from({ length: k }, (_, c) => logits[i * k + c] / t);
      const max = Math.max(...z);
      const lse = max + Math.log(z.reduce((a, v) => a + Math.exp(v - max), 0));
      nll += lse - z[y];
    });
    if (nll < best.nll) best = { t, nll };
  }
  return Math.round(best.t * 100) / 100;
}

/** Words seen at least `minCount` times, most frequent first, capped. */
export function vocabularyFrom(texts: readonly string[], minCount: number, cap: number): string[] {
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of tokenizeUtterance(t).words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, cap).map(([w]) => w);
}
