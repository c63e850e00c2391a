/**
 * Runtime schema of the JSON export (zod), kept next to the types it checks. The CLI validates what it writes and
 * tests validate fixtures against it; docs/analysis-json.md explains each field.
 */
import { z } from 'zod';
import { LABELS, MODALITIES } from '../shared/labels';
import { ANALYSIS_SCHEMA_VERSION } from './types';

const unit = z.number().min(0).max(1);
const signedUnit = z.number().min(-1).max(1);
const labelMap = z.object(Object.fromEntries(LABELS.map((l) => [l, unit])) as Record<(typeof LABELS)[number], typeof unit>);
const modalityMap = z.object(Object.fromEntries(MODALITIES.map((m) => [m, unit])) as Record<(typeof MODALITIES)[number], typeof unit>);

export const analysisSegmentSchema = z.object({
  index: z.number().int().min(0),
  start: z.number().min(0),
  end: z.number().min(0),
  label: z.enum([...LABELS, 'no signal']),
  confidence: unit,
  probs: labelMap,
  valence: signedUnit,
  arousal: signedUnit,
  contributions: modalityMap,
  predictor: z.enum(['reasoner', 'fusion']),
  face: z.object({ frames: z.number().int().min(0), presence: unit, topAus: z.array(z.object({ au: z.string(), value: z.number() })) }).nullable(),
  voice: z.object({
    voicedFraction: unit,
    f0RelSemitones: z.number().optional(),
    loudnessRelDb: z.number().optional(),
    notes: z.array(z.string()),
  }).nullable(),
  transcript: z.string().nullable(),
  rationale: z.string(),
  prior: z.object({ label: z.enum(LABELS), source: z.enum(['gemini', 'local']), model: z.string(), rationale: z.string() }).nullable(),
}).refine((s) => s.end > s.start, 'segment end must be after its start');

export const analysisResultSchema = z.object({
  schemaVersion: z.literal(ANALYSIS_SCHEMA_VERSION),
  file: z.object({
    name: z.string(),
    size: z.number().int().min(0),
    type: z.string(),
    duration: z.number().min(0),
    hasVideo: z.boolean(),
    hasAudio: z.boolean(),
    width: z.number().optional(),
    height: z.number().optional(),
  }),
  options: z.object({ fps: z.number().positive(), segmentSec: z.number().positive(), priors: z.boolean() }),
  partial: z.boolean(),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  transcriptSource: z.enum(['subtitle-file', 'text-track']).nullable(),
  backend: z.string(),
  timing: z.object({ totalMs: z.number().min(0), stages: z.record(z.string(), z.number()), realTimeFactor: z.number().min(0) }),
  segments: z.array(analysisSegmentSchema),
  createdAt: z.string(),
});

export type AnalysisResultJson = z.infer<typeof analysisResultSchema>;
