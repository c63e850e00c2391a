import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAccuracyReports } from './accuracy';

describe('readAccuracyReports', () => {
  it('finds metric rows named by their identifying fields, skipping per-class detail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'acc-'));
    writeFileSync(join(dir, 'eval-text.json'), JSON.stringify({
      date: '2026-01-02',
      results: [{ corpus: 'meld', model: { accuracy: 0.5758, macroF1: 0.43, perClass: { sad: { f1: 0.3, accuracy: 0.9 } } } }],
    }));
    writeFileSync(join(dir, 'prosody-vs-praat.json'), JSON.stringify({ voicingAgreement: 0.99993, pearson: { meanF0: 0.99999, jitter: 0.9929 }, perActor: { '01': { voicingAgreement: 1 } } }));
    const reports = readAccuracyReports(dir);
    expect(reports.map((r) => r.report)).toEqual(['eval-text.json', 'prosody-vs-praat.json']);
    expect(reports[0].createdAt).toBe('2026-01-02');
    expect(reports[0].rows).toEqual([{ report: 'eval-text.json', name: 'meld / results.model', metrics: { accuracy: 0.576, macroF1: 0.43 } }]);
    expect(reports[1].rows.map((r) => r.name)).toEqual(['(top level)', 'pearson']);
    expect(reports[1].rows[1].metrics).toEqual({ meanF0: 1, jitter: 0.993 });
  });
});
