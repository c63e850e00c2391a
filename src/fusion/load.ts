/**
 * Loading and serialising the fusion model: metadata.json + one weights file (tf.io weight encoding), the same in
 * the browser (`{baseUrl}`, fetched) and in Node (`{dir}`, read from disk via a lazily imported node:fs).
 */
import * as tf from '@tensorflow/tfjs';
import { MODALITIES, type Modality } from '../shared/labels';
import { FusionModel } from './fusion-model';
import { CURRENT_SCHEMA, validateFusionMetadata, type ExpectedSchema, type FusionMetadata } from './metadata';
import { DEFAULT_FUSION_CONFIG, FusionNet } from './model';

export type FusionSource = { baseUrl: string } | { dir: string };

export const METADATA_FILE = 'metadata.json';

async function readSource(source: FusionSource, file: string): Promise<ArrayBuffer> {
  if ('dir' in source) {
    const fsModule = 'node:fs/promises';
    const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
    const buf = await readFile(`${source.dir.replace(/\/$/, '')}/${file}`);
    return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  }
  const url = `${source.baseUrl.replace(/\/$/, '')}/${file}`;
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fusion model: ${url} → HTTP ${res.status}`);
  return res.arrayBuffer();
}

/** Builds a model from parsed metadata and the raw weights (validates both). */
export function fusionModelFromArtifacts(metaJson: unknown, weights: ArrayBuffer, expected: ExpectedSchema = CURRENT_SCHEMA): FusionModel {
  const metadata = validateFusionMetadata(metaJson, expected);
  const inputDims = Object.fromEntries(MODALITIES.map((m) => [m, metadata.branches[m].features.length])) as Record<Modality, number>;
  if (weights.byteLength !== metadata.weights.bytes) {
    throw new Error(`fusion model: weights file has ${weights.byteLength} bytes, metadata says ${metadata.weights.bytes}`);
  }
  const net = new FusionNet({ ...DEFAULT_FUSION_CONFIG, inputDims, d: metadata.d, hidden: metadata.hidden, numClasses: metadata.labels.length });
  const named = tf.io.decodeWeights(weights, metadata.weights.specs);
  try {
    net.setWeights(named);
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    for (const t of Object.values(named)) t.dispose();
  }
  return new FusionModel(net, metadata);
}

/**
 * Loads the fusion model and refuses one whose labels or feature schema differ from this app's.
 * @example const model = await loadFusionModel({ baseUrl: '/models/fusion' });
 */
export async function loadFusionModel(source: FusionSource, expected: ExpectedSchema = CURRENT_SCHEMA): Promise<FusionModel> {
  const metaText = new TextDecoder().decode(await readSource(source, METADATA_FILE));
  let meta: unknown;
  try {
    meta = JSON.parse(metaText);
  } catch {
    throw new Error(`fusion model: ${METADATA_FILE} is not JSON`);
  }
  const file = (meta as Partial<FusionMetadata>)?.weights?.file;
  validateFusionMetadata(meta, expected);
  return fusionModelFromArtifacts(meta, await readSource(source, file!), expected);
}

/** Encodes a network's weights and completes its metadata (weights manifest and size). */
export async function serializeFusionModel(
  net: FusionNet,
  metadata: Omit<FusionMetadata, 'weights'>,
  weightsFile = 'weights.bin',
): Promise<{ metadata: FusionMetadata; weights: ArrayBuffer }> {
  const { data, specs } = await tf.io.encodeWeights(net.namedWeights());
  return { metadata: { ...metadata, weights: { file: weightsFile, specs, bytes: data.byteLength } }, weights: data };
}
