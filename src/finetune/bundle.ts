/**
 * Export/import of a fine-tuned model as ONE file: JSON with the metadata, the weights (base64) and a sha256
 * over both, so a truncated, edited or corrupted file is refused before anything is loaded.
 */
import { CURRENT_SCHEMA, validateFusionMetadata, type ExpectedSchema, type FusionMetadata } from '../fusion/metadata';
import { sha256Hex } from '../priors/sha256';
import type { ModelArtifacts } from './types';

export const BUNDLE_FORMAT = 'emotion-lens-model-bundle';
export const BUNDLE_FORMAT_VERSION = 1;
export const BUNDLE_EXTENSION = '.emotion-model.json';

export interface ModelBundle {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  metadata: FusionMetadata;
  /** Weights file bytes, base64. */
  weights: string;
  /** sha256 hex of UTF-8(JSON.stringify(metadata)) followed by the weight bytes. */
  sha256: string;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleError';
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function bundleChecksum(metadata: FusionMetadata, weights: Uint8Array): string {
  const head = new TextEncoder().encode(JSON.stringify(metadata));
  const all = new Uint8Array(head.length + weights.length);
  all.set(head, 0);
  all.set(weights, head.length);
  return sha256Hex(all);
}

/** The file text of a model bundle. */
export function exportBundle(model: ModelArtifacts): string {
  const weights = new Uint8Array(model.weights);
  const bundle: ModelBundle = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    metadata: model.metadata,
    weights: toBase64(weights),
    sha256: bundleChecksum(model.metadata, weights),
  };
  return JSON.stringify(bundle);
}

/** Output width of the class head from the weight manifest (the joint head's kernel is [d, K]). */
function headClasses(metadata: FusionMetadata): number | null {
  const spec = metadata.weights?.specs?.find((s) => s.name === 'joint/head/kernel');
  return spec && spec.shape.length === 2 ? spec.shape[1] : null;
}

/**
 * Parses and validates a bundle: format, checksum, feature schema (this app's), labels vs head size, and — when
 * `expectedLabels` is given — the label set the caller needs. Throws a BundleError with a message for people.
 */
export function importBundle(text: string, options: { expectedLabels?: readonly string[]; schema?: ExpectedSchema } = {}): ModelArtifacts {
  let bundle: Partial<ModelBundle>;
  try {
    bundle = JSON.parse(text) as Partial<ModelBundle>;
  } catch {
    throw new BundleError('This file is not an Emotion Lens model (it is not valid JSON).');
  }
  if (!bundle || bundle.format !== BUNDLE_FORMAT) throw new BundleError('This file is not an Emotion Lens model bundle.');
  if (bundle.formatVersion !== BUNDLE_FORMAT_VERSION) {
    throw new BundleError(`This model bundle has format version ${bundle.formatVersion}; this app reads version ${BUNDLE_FORMAT_VERSION}.`);
  }
  if (!bundle.metadata || typeof bundle.weights !== 'string' || typeof bundle.sha256 !== 'string') {
    throw new BundleError('The model bundle is incomplete (metadata, weights or checksum missing).');
  }
  let weights: Uint8Array;
  try {
    weights = fromBase64(bundle.weights);
  } catch {
    throw new BundleError('The model bundle is corrupted (weights are not valid base64).');
  }
  if (bundleChecksum(bundle.metadata, weights) !== bundle.sha256.toLowerCase()) {
    throw new BundleError('The model file is corrupted or was modified: its sha256 checksum does not match.');
  }
  let metadata: FusionMetadata;
  try {
    metadata = validateFusionMetadata(bundle.metadata, { ...(options.schema ?? CURRENT_SCHEMA), customLabels: true });
  } catch (err) {
    throw new BundleError(`This model was made for a different feature schema or label set: ${err instanceof Error ? err.message.replace(/^fusion metadata: /, '') : String(err)}.`);
  }
  const k = headClasses(metadata);
  if (k !== metadata.labels.length) {
    throw new BundleError(`Label mismatch: the model names ${metadata.labels.length} labels but its head has ${k ?? 'no'} outputs.`);
  }
  if (weights.byteLength !== metadata.weights.bytes) {
    throw new BundleError(`The weights have ${weights.byteLength} bytes; the metadata says ${metadata.weights.bytes}.`);
  }
  if (options.expectedLabels) {
    const want = options.expectedLabels;
    if (want.length !== metadata.labels.length || want.some((l, i) => l !== metadata.labels[i])) {
      throw new BundleError(`Label mismatch: the model has labels [${metadata.labels.join(', ')}], expected [${want.join(', ')}].`);
    }
  }
  const copy = new Uint8Array(weights.byteLength);
  copy.set(weights);
  return { metadata, weights: copy.buffer };
}
