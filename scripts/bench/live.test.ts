import { describe, expect, it } from 'vitest';
import { parsePerfLine } from './live';

describe('parsePerfLine', () => {
  it('reads the #perf line live-view.ts writes', () => {
    const fs = { meanDetectMs: 54.123, meanRoundTripMs: 61.7, processed: 130, dropped: 108 };
    const ms = 2.1;
    // Same template as src/ui/live-view.ts; if that line changes, the live benchmark must change with it.
    const text = `face ${fs.meanDetectMs.toFixed(1)} ms/frame (round trip ${fs.meanRoundTripMs.toFixed(1)} ms, ${fs.processed} analysed, ${fs.dropped} dropped) · worker ${ms.toFixed(2)} ms/reading on wasm`;
    expect(parsePerfLine(text)).toEqual({ detectMs: 54.1, roundTripMs: 61.7, analysed: 130, dropped: 108, workerMs: 2.1, backend: 'wasm' });
  });

  it('returns null before the first reading', () => {
    expect(parsePerfLine('')).toBeNull();
    expect(parsePerfLine('face 3.0 ms/frame')).toBeNull();
  });
});
