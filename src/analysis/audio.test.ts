import { describe, expect, it } from 'vitest';
import { audioChunks } from './audio';
import { prosodyApi } from './prosody-worker-api';
import { segmentSpans } from './segments';

function fakeBuffer(channels: Float32Array[], sampleRate: number): AudioBuffer {
  return {
    sampleRate,
    numberOfChannels: channels.length,
    length: channels[0].length,
    duration: channels[0].length / sampleRate,
    getChannelData: (c: number) => channels[c],
  } as unknown as AudioBuffer;
}

describe('audio chunks for the prosody worker', () => {
  it('cuts whole segments per chunk, mixes channels to mono and clamps', () => {
    const rate = 100;
    const left = new Float32Array(95 * rate).fill(0.5);
    const right = new Float32Array(95 * rate).fill(1);
    right[0] = 3; // out of range → clamped after mixing
    const spans = segmentSpans(95, 2);
    const chunks = [...audioChunks(fakeBuffer([left, right], rate), spans, 30)];
    expect(chunks.map((c) => [c.startTime, c.spans.length, c.samples.length])).toEqual([
      [0, 15, 3000], [30, 15, 3000], [60, 15, 3000], [90, 3, 500],
    ]);
    expect(chunks.flatMap((c) => c.spans.map((s) => s.index))).toEqual(spans.map((s) => s.index));
    expect(chunks[0].samples[1]).toBeCloseTo(0.75, 6);
    expect(chunks[0].samples[0]).toBe(1);
  });

  it('stops at the end of shorter audio (e.g. an audio track that ends early)', () => {
    const chunks = [...audioChunks(fakeBuffer([new Float32Array(500)], 100), segmentSpans(20, 2), 30)];
    expect(chunks).toHaveLength(1);
    expect(chunks[0].spans.map((s) => s.start)).toEqual([0, 2, 4]);
    expect(chunks[0].samples.length).toBe(500);
  });
});

describe('prosody worker API', () => {
  it('gives one window per span at media time, voiced for a tone and unvoiced for silence', () => {
    const rate = 16000;
    const samples = new Float32Array(4 * rate);
    for (let i = 0; i < 2 * rate; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 180 * i) / rate) * (1 + 0.2 * Math.sin((2 * Math.PI * 3 * i) / rate));
    const windows = prosodyApi.windows({ samples, sampleRate: rate, startTime: 30, spans: [{ start: 30, end: 32 }, { start: 32, end: 34 }] });
    expect(windows.map((w) => [w.start, w.end])).toEqual([[30, 32], [32, 34]]);
    expect(windows[0].voicedFraction).toBeGreaterThan(0.5);
    expect(windows[1].voicedFraction).toBe(0);
    expect(prosodyApi.windows({ samples: new Float32Array(0), sampleRate: rate, startTime: 0, spans: [{ start: 0, end: 2 }] })).toEqual([]);
  });
});
