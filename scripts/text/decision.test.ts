import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/shared/labels';
import { fitDecision, outOfFoldLogits } from './decision';
import { fitClassBiases, metricsWithBias } from './decision-rule';
import type { TextNetworkState, TrainExample } from './trainer';

const k = LABELS.length;
const sad = LABELS.indexOf('sad');

/** Logits where every sad row scores sad just below neutral: only a positive sad bias recovers them. */
function shiftedLogits(): { logits: Float32Array; truth: number[] } {
  const truth: number[] = [];
  const rows: number[][] = [];
  for (let i = 0; i < 60; i++) {
    const label = i % 3 === 0 ? sad : i % 3 === 1 ? 0 : LABELS.indexOf('happy');
    const z = new Array<number>(k).fill(-2);
    if (label === sad) [z[0], z[sad]] = [1, 0.62];
    else z[label] = 1;
    truth.push(label);
    rows.push(z);
  }
  return { logits: Float32Array.from(rows.flat()), truth };
}

describe('decision rule', () => {
  it('finds the class bias that recovers an under-predicted class, and keeps neutral at 0', () => {
    const { logits, truth } = shiftedLogits();
    const zero = new Array<number>(k).fill(0);
    expect(metricsWithBias(logits, truth, zero).perClass.sad.recall).toBe(0);
    const bias = fitClassBiases(logits, truth, { minMacro: 0 });
    expect(bias[0]).toBe(0);
    expect(bias[sad]).toBeGreaterThan(0.3);
    expect(metricsWithBias(logits, truth, bias).weightedF1).toBe(1);
  });

  it('fitDecision: *-bias never ends below the τ rule on the fitting data; unknown modes throw', () => {
    const { logits, truth } = shiftedLogits();
    const prior = LABELS.map(() => 1 / k);
    const tauOnly = fitDecision('dev-tau', logits, truth, prior);
    const withBias = fitDecision('dev-bias', logits, truth, prior);
    expect(tauOnly.bias.every((b) => b === 0)).toBe(true);
    const score = (adjustment: number[]) => metricsWithBias(logits, truth, adjustment).weightedF1;
    expect(score(withBias.adjustment)).toBeGreaterThan(score(tauOnly.adjustment));
    expect(withBias.temperature).toBeGreaterThan(0);
    expect(() => fitDecision('test-tau' as never, logits, truth, prior)).toThrow();
  });

  it('outOfFoldLogits never trains on the rows it predicts and fills every MELD row', () => {
    const examples: TrainExample[] = Array.from({ length: 23 }, (_, i) => ({
      bag: { ids: Int32Array.from([i]), weights: Float32Array.from([1]) },
      label: i % k,
      domain: i < 20 ? 0 : 1,
      weight: 1,
    }));
    const seen: Set<TrainExample>[] = [];
    const fakeNet = (pool: readonly TrainExample[]) => {
      seen.push(new Set(pool));
      return { dispose: () => undefined } as unknown as TextNetworkState;
    };
    const { logits, truth } = outOfFoldLogits(examples, 0, 4, fakeNet, (_, rows) => {
      const pool = seen[seen.length - 1];
      expect(rows.some((r) => pool.has(r))).toBe(false);
      expect(pool.size).toBe(23 - rows.length);
      return Float32Array.from(rows.flatMap((r) => Array.from({ length: k }, (_, c) => (c === r.label ? 1 : 0))));
    });
    expect(seen).toHaveLength(4);
    expect(truth).toEqual(examples.slice(0, 20).map((e) => e.label));
    truth.forEach((t, i) => expect(logits[i * k + t]).toBe(1));
  });
});
