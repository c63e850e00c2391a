import { describe, expect, it } from 'vitest';
import { LABELS } from '../shared/labels';
import {
  PriorBatchRequestSchema, PriorRequestSchema, SegmentSummarySchema, clampAndNormalise, cleanRationale, mediaConsentError,
  priorFromModelAnswer,
} from './schema';

const summary = { start: 0, end: 2, face: { presence: 1, auMean: { AU12: 0.8 } }, voice: { voicedFraction: 0.5 } };
const answer = {
  rationale: 'AU12 strong',
  scores: { neutral: 0.2, angry: 0, happy: 0.6, sad: 0, worried: 0, surprise: 0.2 },
  contributions: { face: 0.5, voice: 0.3, text: 0.2 },
  label: 'happy',
};
const meta = { model: 'm', latencyMs: 1, source: 'gemini' as const };

describe('segment summary schema', () => {
  it('accepts a full summary and rejects out-of-range, unknown AU and non-finite values', () => {
    expect(SegmentSummarySchema.safeParse(summary).success).toBe(true);
    expect(SegmentSummarySchema.safeParse({ ...summary, face: null, voice: null, text: null }).success).toBe(true);
    expect(SegmentSummarySchema.safeParse({ ...summary, face: { presence: 1.5, auMean: {} } }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ ...summary, face: { presence: 1, auMean: { AU99: 0.1 } } }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ ...summary, start: Number.NaN }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ ...summary, start: Infinity }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ ...summary, voice: { voicedFraction: 0.5, f0RelSemitones: 1e308 } }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ start: 3, end: 2 }).success).toBe(false);
    expect(SegmentSummarySchema.safeParse({ ...summary, text: { transcript: 'x'.repeat(4001) } }).success).toBe(false);
  });

  it('keeps request envelopes strict and batches bounded', () => {
    expect(PriorRequestSchema.safeParse({ summary }).success).toBe(true);
    expect(PriorRequestSchema.safeParse({ summary, extra: 1 }).success).toBe(false);
    expect(PriorBatchRequestSchema.safeParse({ segments: Array.from({ length: 32 }, () => ({ summary })) }).success).toBe(true);
    expect(PriorBatchRequestSchema.safeParse({ segments: Array.from({ length: 33 }, () => ({ summary })) }).success).toBe(false);
    expect(PriorRequestSchema.safeParse({ summary, media: { keyframes: ['data:image/jpeg;base64,/9j/'] } }).success).toBe(false);
  });

  it('refuses media without consent', () => {
    const withMedia = PriorRequestSchema.parse({ summary, media: { keyframes: ['/9j/4AAQ'] } });
    expect(mediaConsentError(withMedia)).toMatch(/consent/);
    expect(mediaConsentError({ ...withMedia, consent: { media: true } })).toBeNull();
    expect(mediaConsentError(PriorRequestSchema.parse({ summary }))).toBeNull();
  });
});

describe('clamping and normalising model answers', () => {
  it('clamps to [0, 1] and renormalises to sum 1', () => {
    const out = clampAndNormalise({ a: 2, b: -1, c: 1 }, ['a', 'b', 'c'] as const)!;
    expect(out).toEqual({ a: 0.5, b: 0, c: 0.5 });
  });

  it('rejects non-finite values and all-zero distributions', () => {
    expect(clampAndNormalise({ a: Number.NaN, b: 1 }, ['a', 'b'] as const)).toBeNull();
    expect(clampAndNormalise({ a: Infinity, b: 1 }, ['a', 'b'] as const)).toBeNull();
    expect(clampAndNormalise({ a: 0, b: -3 }, ['a', 'b'] as const)).toBeNull();
  });

  it('turns a valid answer into a normalised prior whose label is the argmax', () => {
    const prior = priorFromModelAnswer({ ...answer, label: 'sad', scores: { ...answer.scores, happy: 7 } }, summary, meta)!;
    expect(prior.label).toBe('happy');
    expect(LABELS.reduce((s, l) => s + prior.scores[l], 0)).toBeCloseTo(1, 9);
    expect(prior.scores.happy).toBeCloseTo(1 / 1.4, 9);
    // No text in the summary: its contribution is zeroed before renormalising.
    expect(prior.contributions).toEqual({ face: 0.5 / 0.8, voice: 0.3 / 0.8, text: 0 });
  });

  it('rejects answers that break the schema', () => {
    expect(priorFromModelAnswer({ ...answer, extra: 'leak' }, summary, meta)).toBeNull();
    expect(priorFromModelAnswer({ ...answer, label: 'ecstatic' }, summary, meta)).toBeNull();
    expect(priorFromModelAnswer({ ...answer, scores: { happy: 1 } }, summary, meta)).toBeNull();
    expect(priorFromModelAnswer({ ...answer, scores: { ...answer.scores, sad: '0.5' } }, summary, meta)).toBeNull();
    expect(priorFromModelAnswer({ ...answer, rationale: ' \n ' }, summary, meta)).toBeNull();
    expect(priorFromModelAnswer('happy', summary, meta)).toBeNull();
  });

  it('cleans rationales to one bounded line', () => {
    expect(cleanRationale('a\nb\u0000c\u2028d   e')).toBe('a b c d e');
    expect(cleanRationale('x'.repeat(1000))).toHaveLength(400);
  });
});
