/**
 * Text emotion model: loads public/models/text (metadata.json + weights.bin) and turns utterances into
 * TextReadings (LABELS-order probabilities, a fusion embedding, and a coverage-based confidence).
 * Runs in the browser worker ({ baseUrl }) and in Node ({ dir }).
 *
 * @example
 *   const model = await loadTextModel({ baseUrl: '/models/text/' });
 *   model.predict(["I'm so angry right now!"])[0].scores  // Float32Array, angry highest
 */
import * as tfDefault from '@tensorflow/tfjs';
import { LABELS } from '../shared/labels';
import type { TextReading } from '../shared/types';
import { featurize, vocabularyCoverage, type FeatureBag } from './features';
import { denseHeadRow, embeddingBag, packBags, type DenseHead, type Tf } from './network';
import { decodeTensor, TEXT_SCHEMA_VERSION, type TextModelMetadata } from './weights-format';
import { addProjection, buildWordVectorTable, sentenceVector, type WordVectorTable } from './word-vectors';

export type TextModelSource = { baseUrl: string } | { dir: string };

export interface PredictOptions {
  /** Previous utterance (e.g. the previous cue) per text; used only if the model was trained with context. */
  previous?: readonly (string | undefined)[];
}

export interface TextModel {
  labels: readonly string[];
  embeddingSize: number;
  metadata: TextModelMetadata;
  /** Async because tensor read-back must be `await data()` (WebGPU; see eslint.config.js). */
  predict(texts: string[], options?: PredictOptions): Promise<TextReading[]>;
  dispose(): void;
}

/** Throws unless the metadata's labels are exactly LABELS, in order. */
export function checkLabels(labels: unknown): void {
  const ok = Array.isArray(labels) && labels.length === LABELS.length && LABELS.every((l, i) => labels[i] === l);
  if (!ok) {
    throw new Error(`text model labels ${JSON.stringify(labels)} do not match LABELS ${JSON.stringify(LABELS)}; refusing to load`);
  }
}

/**
 * Trust in the model output as a function of vocabulary coverage: 0 below coverageFloor, 1 from coverageFull up,
 * smoothstep between. Names and slang make ordinary English lines only partly covered, so full trust starts well
 * below 100 %; non-English or random text is far below the floor.
 */
export function coverageTrust(coverage: number, c: TextModelMetadata['calibration']): number {
  const x = Math.min(1, Math.max(0, (coverage - c.coverageFloor) / Math.max(1e-6, c.coverageFull - c.coverageFloor)));
  return x * x * (3 - 2 * x);
}

/**
 * Probabilities from logits with low-coverage damping: the temperature rises and the output is mixed toward a
 * neutral-leaning fallback as trust falls, so OOV or non-English text gets a soft, low-confidence reading instead
 * of a confident guess. Confidence = trust · max probability.
 */
export function calibrate(logits: ArrayLike<number>, coverage: number, c: TextModelMetadata['calibration']): { scores: Float32Array; confidence: number } {
  const k = logits.length;
  const trust = coverageTrust(coverage, c);
  const temperature = c.temperature * (1 + c.lowTrustTemperatureSlope * (1 - trust));
  let max = -Infinity;
  for (let i = 0; i < k; i++) max = Math.max(max, logits[i] / temperature);
  const scores = new Float32Array(k);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += scores[i] = Math.exp(logits[i] / temperature - max);
  let top = 0;
  for (let i = 0; i < k; i++) {
    scores[i] = trust * (scores[i] / sum) + (1 - trust) * c.fallback[i];
    top = Math.max(top, scores[i]);
  }
  return { scores, confidence: trust * top };
}

/** The pretrained word-vector branch (word table + projection into the bag), with shape checks. */
function loadVectorBranch(
  metadata: TextModelMetadata,
  tensors: Record<string, Float32Array>,
  spec: (name: string) => number[],
  width: number,
): { table: WordVectorTable; projection: Float32Array } {
  const info = metadata.wordVectors!;
  const [rows, dims] = spec('wordVectors');
  const [inputs, outputs] = spec('projection');
  if (rows !== info.words.length || dims !== info.dimensions || inputs !== 2 * dims || outputs !== width) {
    throw new Error('text model: word-vector tensor shapes disagree with metadata');
  }
  return { table: buildWordVectorTable(info.words, tensors.wordVectors, dims), projection: tensors.projection };
}

/** Builds a model from metadata and decoded tensors (also used by training/eval scripts). */
export function createTextModel(tf: Tf, metadata: TextModelMetadata, tensors: Record<string, Float32Array>): TextModel {
  checkLabels(metadata.labels);
  if (metadata.schemaVersion !== TEXT_SCHEMA_VERSION) {
    throw new Error(`text model schema ${metadata.schemaVersion} is not supported (expected ${TEXT_SCHEMA_VERSION})`);
  }
  const spec = (name: string) => {
    const found = metadata.tensors?.find((t) => t.name === name);
    if (!found) throw new Error(`text model: metadata.json lists no tensor "${name}"`);
    return found.shape;
  };
  for (const name of ['table', 'hiddenBias', 'outKernel', 'outBias']) spec(name);
  const [buckets, width] = spec('table');
  if (buckets !== metadata.hash.buckets || width !== metadata.embeddingSize + metadata.labels.length || tensors.hiddenBias.length !== metadata.embeddingSize) {
    throw new Error('text model: tensor shapes disagree with metadata (buckets / embeddingSize)');
  }
  const table = tf.tensor2d(tensors.table, [buckets, width]);
  const head: DenseHead = { hiddenBias: tensors.hiddenBias, outKernel: tensors.outKernel, outBias: tensors.outBias };
  const vectorBranch = metadata.wordVectors ? loadVectorBranch(metadata, tensors, spec, width) : null;
  const vocabulary = new Set(metadata.vocabulary);
  let disposed = false;
  return {
    labels: metadata.labels,
    embeddingSize: metadata.embeddingSize,
    metadata,
    async predict(texts, options) {
      if (disposed) throw new Error('text model was disposed');
      if (texts.length === 0) return [];
      const bags: FeatureBag[] = texts.map((t, i) =>
        featurize(t, metadata.hash, metadata.usesContext ? options?.previous?.[i] : undefined),
      );
      const packed = packBags(bags);
      const bagTensor = tf.tidy(() => {
        const ids = tf.tensor2d(packed.ids, [packed.rows, packed.width], 'int32');
        const weights = tf.tensor2d(packed.weights, [packed.rows, packed.width]);
        return embeddingBag(tf, table, ids, weights);
      });
      let bag: Float32Array;
      try {
        bag = (await bagTensor.data()) as Float32Array;
      } finally {
        bagTensor.dispose();
      }
      const k = metadata.labels.length;
      const d = metadata.embeddingSize;
      return texts.map((text, i) => {
        const logits = new Float32Array(k);
        const embedding = new Float32Array(d);
        const row = bag.subarray(i * width, (i + 1) * width);
        if (vectorBranch) addProjection(sentenceVector(bags[i].tokenized, vectorBranch.table), vectorBranch.projection, row, width);
        denseHeadRow(row, head, logits, embedding);
        const coverage = vocabularyCoverage(bags[i].tokenized, vocabulary);
        const { scores, confidence } = calibrate(logits, coverage, metadata.calibration);
        return { text, scores, embedding, confidence };
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      table.dispose();
    },
  };
}

async function readSource(source: TextModelSource, file: string): Promise<ArrayBuffer> {
  if ('baseUrl' in source) {
    const base = source.baseUrl.endsWith('/') ? source.baseUrl : `${source.baseUrl}/`;
    const response = await fetch(`${base}${file}`);
    if (!response.ok) throw new Error(`text model: fetching ${base}${file} failed with HTTP ${response.status}`);
    return response.arrayBuffer();
  }
  // Node only; the specifier is hidden from bundlers so the browser build never pulls in node:fs.
  const fsModule = 'node:fs/promises';
  const { readFile } = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  const bytes = await readFile(`${source.dir.replace(/\/$/, '')}/${file}`);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** Loads the model; rejects with a clear error if its labels differ from LABELS. */
export async function loadTextModel(source: TextModelSource, tfInstance: Tf = tfDefault): Promise<TextModel> {
  const metadata = JSON.parse(new TextDecoder().decode(await readSource(source, 'metadata.json'))) as TextModelMetadata;
  checkLabels(metadata.labels);
  const buffer = await readSource(source, metadata.weightsFile);
  const tensors: Record<string, Float32Array> = {};
  for (const spec of metadata.tensors) tensors[spec.name] = decodeTensor(buffer, spec);
  return createTextModel(tfInstance, metadata, tensors);
}
