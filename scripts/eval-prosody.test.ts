/**
 * The CI-sized Praat agreement check (issue 3): 20 RAVDESS clips through our extractor and through Praat, with the
 * issue's targets. Skipped, with a message, only when the `praat` binary is missing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROSODY_TARGETS, pearson, pickClips, praatAvailable, runProsodyEval } from './eval-prosody';

const DATA = resolve(process.env.DATA_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared', 'data'));
const hasPraat = praatAvailable();
const hasData = existsSync(resolve(DATA, 'speech', 'ravdess', 'labels.csv'));
if (!hasPraat) console.warn('eval-prosody.test: SKIPPED: the praat binary is not installed (apt-get install praat)');

describe('eval helpers', () => {
  it('pearson is 1 for a line and −1 for its mirror', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });
  it('the subset spans actors', () => {
    const rows = Array.from({ length: 1200 }, (_, i) => ({ actor: (i % 20) + 1, i }));
    const picked = pickClips(rows, 20);
    expect(new Set(picked.map((r) => r.actor)).size).toBe(20);
  });
});

describe.skipIf(!hasPraat || !hasData)('agreement with Praat on 20 RAVDESS clips', () => {
  it('meets the voicing, F0 and voice-quality targets within 2 minutes', () => {
    const report = runProsodyEval({ data: DATA, limit: 20 });
    expect(report.clips).toBe(20);
    expect(report.voicingAgreement).toBeGreaterThanOrEqual(PROSODY_TARGETS.voicingAgreement);
    expect(report.medianAbsF0ErrorSt).toBeLessThanOrEqual(PROSODY_TARGETS.medianF0ErrorSt);
    expect(report.pearson.meanF0).toBeGreaterThanOrEqual(PROSODY_TARGETS.pearsonR);
    expect(report.pearson.jitter).toBeGreaterThanOrEqual(PROSODY_TARGETS.pearsonR);
    expect(report.pearson.shimmer).toBeGreaterThanOrEqual(PROSODY_TARGETS.pearsonR);
    expect(report.pearson.hnr).toBeGreaterThanOrEqual(PROSODY_TARGETS.pearsonR);
    expect(report.seconds).toBeLessThan(120);
  }, 180_000);
});
