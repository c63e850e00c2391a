import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AU_NAMES } from '../face/au';
import type { FaceFrame } from '../shared/types';
import { LruCache } from './lru';
import { sha256Hex } from './sha256';
import { normaliseSummary, summarizeFaceFrames, summaryKey } from './summary';

const nodeSha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

describe('sha256Hex', () => {
  it('matches node:crypto on edge lengths and unicode', () => {
    for (const text of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), 'héllo 🙂 世界']) {
      expect(sha256Hex(text)).toBe(nodeSha(text));
    }
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) & 255);
    expect(sha256Hex(bytes)).toBe(nodeSha(bytes));
  });
});

describe('summaryKey', () => {
  const a = { start: 0, end: 1.5, face: { presence: 1, auMean: { AU12: 0.8, AU6: 0.6 } }, text: { transcript: ' hi  there ' } };
  it('ignores key order, float noise below 1e-4, nulls and whitespace', () => {
    const b = { text: { transcript: 'hi there' }, face: { auMean: { AU6: 0.60000001, AU12: 0.8 }, presence: 1 }, end: 1.5, start: 0, voice: null };
    expect(summaryKey(b)).toBe(summaryKey(a));
    expect(summaryKey(a)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('changes when the content changes', () => {
    expect(summaryKey({ ...a, end: 1.6 })).not.toBe(summaryKey(a));
    expect(summaryKey({ ...a, text: { transcript: 'bye' } })).not.toBe(summaryKey(a));
  });
  it('normalises to a canonical object', () => {
    expect(normaliseSummary({ start: -0, end: 1.23456789, face: null })).toEqual({ start: 0, end: 1.2346 });
  });
});

describe('summarizeFaceFrames', () => {
  const frame = (present: boolean, values: Record<string, number>): FaceFrame => ({
    time: 0,
    present,
    blendshapes: new Float32Array(present ? 52 : 0),
    aus: present ? Float32Array.from(AU_NAMES, (au) => values[au] ?? 0) : new Float32Array(0),
    pose: { yaw: 0, pitch: 0, roll: 0 },
  });
  it('averages and takes peaks over frames with a face', () => {
    const face = summarizeFaceFrames([frame(true, { AU12: 0.5 }), frame(true, { AU12: 1, AU6: 0.25 }), frame(false, {}), frame(false, {})])!;
    expect(face.presence).toBe(0.5);
    expect(face.auMean.AU12).toBeCloseTo(0.75, 6);
    expect(face.auMax!.AU12).toBeCloseTo(1, 6);
    expect(face.auMean.AU6).toBeCloseTo(0.125, 6);
    expect(Object.keys(face.auMean)).toEqual([...AU_NAMES]);
  });
  it('reports absence honestly', () => {
    expect(summarizeFaceFrames([])).toBeNull();
    expect(summarizeFaceFrames([frame(false, {})])).toEqual({ presence: 0, auMean: {}, auMax: {} });
  });
  it('treats non-finite AU values as 0', () => {
    const f = frame(true, {});
    f.aus[0] = Number.NaN;
    expect(summarizeFaceFrames([f])!.auMean.AU1).toBe(0);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });
  it('stores nothing at capacity 0 and rejects bad capacities', () => {
    const cache = new LruCache<number>(0);
    cache.set('a', 1);
    expect(cache.size).toBe(0);
    expect(() => new LruCache(-1)).toThrow(/capacity/);
  });
});
