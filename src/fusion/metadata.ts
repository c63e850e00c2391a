/**
 * metadata.json of the fusion model: label order, feature schema per branch, calibration scheme, input
 * standardisation, weight manifest and metrics. Loading compares it with what this build of the app produces and
 * refuses a mismatch (a model trained on another feature order would silently read the wrong numbers).
 */
import type * as tf from '@tensorflow/tfjs';
import { LABELS, MODALITIES, type Modality } from '../shared/labels';
import type { CalibrationScheme } from './calibration';
import { FACE_FEATURES, FACE_SCHEMA_VERSION, VOICE_FEATURES, VOICE_SCHEMA_VERSION } from './features';
import type { InputNorm } from './fusion-model';

export const FUSION_FORMAT = 'emotion-lens-fusion';
export const FUSION_FORMAT_VERSION = 1;

export interface BranchSchema {
  features: string[];
  schema: string;
}

export interface FusionMetadata {
  format: typeof FUSION_FORMAT;
  formatVersion: number;
  /** Model version string, e.g. `fusion-1+<date>`. */
  version: string;
  labels: string[];
  /** 'custom' for a fine-tuned model with the user's own label set (default: the base LABELS). */
  labelSet?: 'base' | 'custom';
  d: number;
  hidden: number;
  branches: Record<Modality, BranchSchema>;
  calibration: CalibrationScheme;
  inputNorm: Record<Modality, InputNorm>;
  weights: { file: string; specs: tf.io.WeightsManifestEntry[]; bytes: number };
  /** Valence/arousal targets: class anchors (no VA labels in these corpora). */
  affectTargets: 'class-anchors';
  metrics?: Record<string, unknown>;
  training?: Record<string, unknown>;
}

/** What this build of the app expects; text is optional when the text model isn't loaded. */
export interface ExpectedSchema {
  faceFeatures?: readonly string[];
  faceSchema?: string;
  voiceFeatures?: readonly string[];
  voiceSchema?: string;
  textFeatures?: readonly string[];
  textSchema?: string;
  /** Accept a model whose metadata says labelSet 'custom' (fine-tuned in the browser). Default false. */
  customLabels?: boolean;
}

export const CURRENT_SCHEMA: ExpectedSchema = {
  faceFeatures: FACE_FEATURES,
  faceSchema: FACE_SCHEMA_VERSION,
  voiceFeatures: VOICE_FEATURES,
  voiceSchema: VOICE_SCHEMA_VERSION,
};

function sameList(a: readonly string[], b: readonly string[]): string | null {
  if (a.length !== b.length) return `${a.length} entries, expected ${b.length}`;
  const i = a.findIndex((v, j) => v !== b[j]);
  return i >= 0 ? `entry ${i} is "${a[i]}", expected "${b[i]}"` : null;
}

/**
 * Throws `fusion metadata: …` describing the first mismatch between a model's metadata and the app's schema.
 * @example validateFusionMetadata(meta) // throws 'fusion metadata: labels mismatch (entry 1 is "happy", expected "angry")'
 */
export function validateFusionMetadata(meta: unknown, expected: ExpectedSchema = CURRENT_SCHEMA): FusionMetadata {
  const m = meta as Partial<FusionMetadata> | null;
  if (!m || m.format !== FUSION_FORMAT) throw new Error(`fusion metadata: not a ${FUSION_FORMAT} file`);
  if (m.formatVersion !== FUSION_FORMAT_VERSION) {
    throw new Error(`fusion metadata: format version ${m.formatVersion}, this app reads ${FUSION_FORMAT_VERSION}`);
  }
  if (m.labelSet === 'custom') {
    if (!expected.customLabels) throw new Error('fusion metadata: custom label set not accepted here');
    const l = m.labels ?? [];
    if (l.length < 2 || l.some((x) => typeof x !== 'string' || !x.trim()) || new Set(l).size !== l.length) {
      throw new Error('fusion metadata: custom labels must be 2 or more distinct, non-empty names');
    }
  } else {
    const labels = sameList(m.labels ?? [], LABELS);
    if (labels) throw new Error(`fusion metadata: labels mismatch (${labels})`);
  }
  if (!m.branches || !m.inputNorm || !m.weights || !m.calibration) throw new Error('fusion metadata: missing branches, inputNorm, weights or calibration');
  const checks: Array<[Modality, readonly string[] | undefined, string | undefined]> = [
    ['face', expected.faceFeatures, expected.faceSchema],
    ['voice', expected.voiceFeatures, expected.voiceSchema],
    ['text', expected.textFeatures, expected.textSchema],
  ];
  for (const [branch, features, schema] of checks) {
    const b = m.branches[branch];
    if (!b) throw new Error(`fusion metadata: no ${branch} branch`);
    if (schema !== undefined && b.schema !== schema) {
      throw new Error(`fusion metadata: ${branch} schema "${b.schema}", this app produces "${schema}"`);
    }
    if (features) {
      const diff = sameList(b.features, features);
      if (diff) throw new Error(`fusion metadata: ${branch} features mismatch (${diff})`);
    }
  }
  for (const branch of MODALITIES) {
    const n = m.branches[branch].features.length;
    const norm = m.inputNorm[branch];
    if (!norm || norm.mean.length !== n || norm.std.length !== n) throw new Error(`fusion metadata: ${branch} inputNorm does not have ${n} entries`);
  }
  return m as FusionMetadata;
}
