import { describe, expect, it } from 'vitest';
import { ablationOverSeeds } from './eval-parts';

const arm = (macroF1: number, weightedF1: number, meanRecall: number) => ({ fused: { macroF1, weightedF1 }, minority: { classes: ['worried'], meanRecall } });

describe('ablationOverSeeds', () => {
  it('runs every seed and reports per-seed figures with mean ± sample sd per arm', async () => {
    const seen: number[] = [];
    const table: Record<number, [number, number]> = { 7: [0.7, 0.6], 8: [0.8, 0.5], 9: [0.9, 0.4] };
    const out = (await ablationOverSeeds([7, 8, 9], async (seed) => {
      seen.push(seed);
      return { bdcl: arm(table[seed][0], 0.5, table[seed][1]), 'plain-ce': arm(0.5, 0.5, 0.5) };
    })) as Record<string, { fused: { macroF1: number }; perSeed: { seed: number; macroF1: number }[]; mean: { macroF1: number; macroF1Sd: number; minorityRecall: number; minorityRecallSd: number; seeds: number[] } }>;
    expect(seen).toEqual([7, 8, 9]);
    // `fused` stays the first seed's full report.
    expect(out.bdcl.fused.macroF1).toBe(0.7);
    expect(out.bdcl.perSeed.map((p) => p.seed)).toEqual([7, 8, 9]);
    expect(out.bdcl.mean.macroF1).toBeCloseTo(0.8, 4);
    expect(out.bdcl.mean.macroF1Sd).toBeCloseTo(0.1, 4);
    expect(out.bdcl.mean.minorityRecall).toBeCloseTo(0.5, 4);
    expect(out.bdcl.mean.minorityRecallSd).toBeCloseTo(0.1, 4);
    expect(out['plain-ce'].mean.macroF1Sd).toBe(0);
    expect(out.bdcl.mean.seeds).toEqual([7, 8, 9]);
  });
});
