/**
 * Segment-summary helpers shared by the browser, the worker and the proxy: a stable cache key for a summary and the
 * face part of a summary from analysed frames.
 */
import { AU_NAMES } from '../face/au';
import type { FaceFrame, SegmentSummary } from '../shared/types';
import { sha256Hex } from './sha256';

/** Numbers are rounded to this many decimals before hashing: AU proxies and prosody are not meaningful beyond it. */
const KEY_DECIMALS = 4;

function roundNumber(v: number): number {
  const scale = 10 ** KEY_DECIMALS;
  const r = Math.round(v * scale) / scale;
  return Object.is(r, -0) ? 0 : r;
}

/** Key-sorted, rounded copy with null/undefined members dropped and whitespace in strings collapsed. */
function normaliseValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? roundNumber(value) : undefined;
  if (typeof value === 'string') return value.replace(/\s+/g, ' ').trim();
  if (Array.isArray(value)) return value.map(normaliseValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normaliseValue((value as Record<string, unknown>)[key]);
      if (v !== undefined && v !== null) out[key] = v;
    }
    return out;
  }
  return value ?? undefined;
}

/**
 * The canonical form of a summary: what the proxy sends to the model and what the cache key hashes, so two
 * summaries that differ only in key order, float noise below 1e-4 or whitespace share one answer.
 */
export function normaliseSummary(summary: SegmentSummary): SegmentSummary {
  return normaliseValue(summary) as SegmentSummary;
}

/** Stable JSON of the normalised summary (keys sorted at every level). */
export function canonicalJson(summary: SegmentSummary): string {
  return JSON.stringify(normaliseSummary(summary));
}

/**
 * SHA-256 hex of the canonical summary JSON; synchronous and identical in browser and Node.
 * @example summaryKey({start: 0, end: 1}) === summaryKey({end: 1.00000001, start: 0}) // true
 */
export function summaryKey(summary: SegmentSummary): string {
  return sha256Hex(canonicalJson(summary));
}

/**
 * Face part of a SegmentSummary: mean and peak of each AU proxy over frames with a face, and the presence fraction.
 * Returns null when no frames were sampled. Non-finite AU values count as 0.
 */
export function summarizeFaceFrames(frames: readonly FaceFrame[]): SegmentSummary['face'] {
  if (frames.length === 0) return null;
  const withFace = frames.filter((f) => f.present && f.aus.length === AU_NAMES.length);
  const presence = withFace.length / frames.length;
  const auMean: Record<string, number> = {};
  const auMax: Record<string, number> = {};
  if (withFace.length === 0) return { presence: 0, auMean, auMax };
  AU_NAMES.forEach((au, i) => {
    let sum = 0;
    let max = 0;
    for (const frame of withFace) {
      const v = Number.isFinite(frame.aus[i]) ? frame.aus[i] : 0;
      sum += v;
      if (v > max) max = v;
    }
    auMean[au] = sum / withFace.length;
    auMax[au] = max;
  });
  return { presence, auMean, auMax };
}
