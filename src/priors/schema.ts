/**
 * Wire schemas of the prior proxy (zod 4) and the helpers that turn an untrusted model answer into a valid Prior.
 * Pure: imported by the server, the browser client and the training batch fetcher.
 */
import { z } from 'zod';
import { AU_NAMES } from '../face/au';
import { LABELS, MODALITIES, type Label, type Modality } from '../shared/labels';
import type { Prior, SegmentSummary } from '../shared/types';

/** Request limits; the README quotes them. */
export const PRIOR_LIMITS = {
  /** Segments per batch call. */
  maxBatch: 32,
  /** Upstream (Gemini) calls the proxy runs at once by default; batch clients size their calls to match. */
  upstreamConcurrency: 8,
  /** Characters of transcript per segment. */
  maxTranscriptChars: 4000,
  /** Keyframes per segment (media consent only). */
  maxKeyframes: 4,
  /** Base64 characters per keyframe (~190 KB JPEG). */
  maxKeyframeChars: 256_000,
  /** Base64 characters of the audio snippet (~380 KB). */
  maxAudioChars: 512_000,
  /** Characters of rationale kept from a model. */
  maxRationaleChars: 400,
  /** Segment times are seconds; anything beyond ~115 days is not a media or performance.now() time. */
  maxTimeS: 1e7,
} as const;

const unit = z.number().min(0).max(1);
/** Bounded finite number: prosody values are relative measures, so ±1000 is far outside any real reading. */
const measure = z.number().min(-1000).max(1000);

export const FaceSummarySchema = z.object({
  presence: unit,
  auMean: z.partialRecord(z.enum(AU_NAMES), unit),
  auMax: z.partialRecord(z.enum(AU_NAMES), unit).optional(),
});

export const VoiceSummarySchema = z.object({
  voicedFraction: unit,
  f0RelSemitones: measure.optional(),
  f0SdSemitones: measure.optional(),
  loudnessRelDb: measure.optional(),
  jitterPct: measure.optional(),
  shimmerDb: measure.optional(),
  hnrDb: measure.optional(),
  syllableRate: measure.optional(),
});

export const TextSummarySchema = z.object({
  transcript: z.string().max(PRIOR_LIMITS.maxTranscriptChars),
  scores: z.partialRecord(z.enum(LABELS), unit).optional(),
});

export const SegmentSummarySchema = z
  .object({
    start: z.number().min(0).max(PRIOR_LIMITS.maxTimeS),
    end: z.number().min(0).max(PRIOR_LIMITS.maxTimeS),
    face: FaceSummarySchema.nullish(),
    voice: VoiceSummarySchema.nullish(),
    text: TextSummarySchema.nullish(),
  })
  .refine((s) => s.end >= s.start, { message: 'end must not be before start', path: ['end'] });

const base64 = (max: number) =>
  z.string().max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64 (no data: URL prefix)');

export const MediaSchema = z.strictObject({
  /** JPEG keyframes, base64; the JPEG magic (FF D8 FF) is checked. */
  keyframes: z
    .array(base64(PRIOR_LIMITS.maxKeyframeChars).refine((s) => s.startsWith('/9j/'), 'keyframes must be JPEG'))
    .max(PRIOR_LIMITS.maxKeyframes)
    .optional(),
  audio: z
    .strictObject({
      mimeType: z.enum(['audio/wav', 'audio/webm', 'audio/ogg', 'audio/mpeg', 'audio/flac']),
      data: base64(PRIOR_LIMITS.maxAudioChars),
    })
    .optional(),
});

/** One segment to score. Media is only accepted with `consent: {media: true}` (checked in `mediaConsentError`). */
export const PriorRequestSchema = z.strictObject({
  summary: SegmentSummarySchema,
  consent: z.strictObject({ media: z.boolean() }).optional(),
  media: MediaSchema.optional(),
});
export type PriorRequest = z.infer<typeof PriorRequestSchema>;

export const PriorBatchRequestSchema = z.strictObject({
  segments: z.array(PriorRequestSchema).min(1).max(PRIOR_LIMITS.maxBatch),
});
export type PriorBatchRequest = z.infer<typeof PriorBatchRequestSchema>;

/** Why a request's media must be refused, or null. Policy: media without consent is rejected (400), never ignored. */
export function mediaConsentError(request: PriorRequest): string | null {
  const hasMedia = Boolean(request.media && (request.media.keyframes?.length || request.media.audio));
  if (hasMedia && request.consent?.media !== true) {
    return 'media (keyframes/audio) sent without consent: set consent.media = true or send the summary only';
  }
  return null;
}

const labelScores = z.strictObject(Object.fromEntries(LABELS.map((l) => [l, z.number()])) as Record<Label, z.ZodNumber>);
const modalityScores = z.strictObject(
  Object.fromEntries(MODALITIES.map((m) => [m, z.number()])) as Record<Modality, z.ZodNumber>,
);

/** What the model must answer (before clamping). Extra keys are a schema violation. */
export const ModelAnswerSchema = z.strictObject({
  scores: labelScores,
  contributions: modalityScores,
  label: z.enum(LABELS),
  rationale: z.string(),
});
export type ModelAnswer = z.infer<typeof ModelAnswerSchema>;

/** A Prior on the wire (responses of the proxy, checked again by the client). */
export const PriorSchema = z.strictObject({
  scores: labelScores,
  contributions: modalityScores,
  label: z.enum(LABELS),
  rationale: z.string().max(PRIOR_LIMITS.maxRationaleChars),
  source: z.enum(['gemini', 'local']),
  model: z.string().max(100),
  latencyMs: z.number().min(0),
});

export const PriorResponseSchema = PriorSchema;
export const PriorBatchResponseSchema = z.strictObject({ priors: z.array(PriorSchema) });

export const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Clamps each value to [0, 1] and divides by the sum; null when any value is non-finite or all are 0
 * (a distribution cannot be recovered from that).
 */
export function clampAndNormalise<K extends string>(values: Record<K, number>, keys: readonly K[]): Record<K, number> | null {
  const clamped = keys.map((k) => values[k]);
  if (clamped.some((v) => typeof v !== 'number' || !Number.isFinite(v))) return null;
  const c = clamped.map(clamp01);
  const sum = c.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return null;
  return Object.fromEntries(keys.map((k, i) => [k, c[i] / sum])) as Record<K, number>;
}

/** Drops control characters and collapses whitespace so a rationale is one displayable line. */
export function cleanRationale(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, PRIOR_LIMITS.maxRationaleChars);
}

/**
 * Turns a parsed model answer into a Prior or null. Scores are clamped and renormalised; the label is the argmax
 * of the renormalised scores (a model that says "happy" while scoring sad highest is corrected, not trusted);
 * modalities the summary does not have get contribution 0 before renormalising.
 */
export function priorFromModelAnswer(
  raw: unknown,
  summary: SegmentSummary,
  meta: { model: string; latencyMs: number; source: Prior['source'] },
): Prior | null {
  const parsed = ModelAnswerSchema.safeParse(raw);
  if (!parsed.success) return null;
  const scores = clampAndNormalise(parsed.data.scores, LABELS);
  if (!scores) return null;
  const rawContrib = { ...parsed.data.contributions };
  const present: Record<Modality, boolean> = {
    face: Boolean(summary.face && summary.face.presence > 0),
    voice: Boolean(summary.voice && summary.voice.voicedFraction > 0),
    text: Boolean(summary.text && summary.text.transcript.trim().length > 0) || Boolean(summary.text?.scores),
  };
  if (MODALITIES.some((m) => !Number.isFinite(rawContrib[m]))) return null;
  for (const m of MODALITIES) if (!present[m]) rawContrib[m] = 0;
  const contributions = clampAndNormalise(rawContrib, MODALITIES) ?? { face: 0, voice: 0, text: 0 };
  const label = LABELS.reduce((best, l) => (scores[l] > scores[best] ? l : best), LABELS[0]);
  const rationale = cleanRationale(parsed.data.rationale);
  if (!rationale) return null;
  return { scores, contributions, label, rationale, source: meta.source, model: meta.model, latencyMs: meta.latencyMs };
}
