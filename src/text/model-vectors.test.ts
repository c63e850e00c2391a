import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../shared/labels';
import { DEFAULT_HASH_SETTINGS } from './features';
import { createTextModel } from './model';
import { decodeTensor, encodeWeights, TEXT_SCHEMA_VERSION, type TextModelMetadata } from './weights-format';

// A tiny model whose hashed table is all zeros: every output difference comes from the word-vector branch.
const d = 4;
const k = LABELS.length;
const width = d + k;
const buckets = 64;
const happy = LABELS.indexOf('happy');
const sad = LABELS.indexOf('sad');

function tinyModel(withVectors: boolean) {
  const words = ['great', 'awful'];
  const projection = new Float32Array(2 * 2 * width); // rows: [plain great-dim, plain awful-dim, NOT great-dim, NOT awful-dim]
  projection[0 * width + d + happy] = 4; // plain "great" → happy logit
  projection[1 * width + d + sad] = 4; // plain "awful" → sad logit
  projection[2 * width + d + sad] = 4; // negated "great" → sad logit
  const { buffer, specs } = encodeWeights({
    table: { shape: [buckets, width], values: new Float32Array(buckets * width) },
    hiddenBias: { shape: [d], values: new Float32Array(d) },
    outKernel: { shape: [d, k], values: new Float32Array(d * k) },
    outBias: { shape: [k], values: new Float32Array(k) },
    ...(withVectors
      ? { projection: { shape: [4, width], values: projection }, wordVectors: { shape: [2, 2], values: Float32Array.from([1, 0, 0, 1]) } }
      : {}),
  });
  const metadata: TextModelMetadata = {
    schemaVersion: TEXT_SCHEMA_VERSION,
    kind: 'hashed-bag-text-emotion',
    labels: [...LABELS],
    embeddingSize: d,
    hash: { ...DEFAULT_HASH_SETTINGS, buckets, function: 'fnv1a32', tokenizer: 'test' },
    vocabulary: ['great', 'awful', 'this', 'is', 'not'],
    calibration: { temperature: 1, lowTrustTemperatureSlope: 3, fallback: LABELS.map(() => 1 / k), coverageFloor: 0.15, coverageFull: 0.6 },
    usesContext: false,
    ...(withVectors ? { wordVectors: { words, dimensions: 2, source: 'test' } } : {}),
    weightsFile: 'weights.bin',
    tensors: specs,
  };
  const bytes = buffer.slice().buffer;
  const tensors = Object.fromEntries(specs.map((s) => [s.name, decodeTensor(bytes, s)]));
  return createTextModel(tf, metadata, tensors);
}

const top = (scores: Float32Array) => LABELS[scores.indexOf(Math.max(...scores))];

describe('text model with the pretrained word-vector branch', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('adds sentence vector · projection to the bag, with negation in its own channel', async () => {
    const model = tinyModel(true);
    const [great, awful, notGreat] = await model.predict(['this is great', 'this is awful', 'this is not great']);
    expect(top(great.scores)).toBe('happy');
    expect(top(awful.scores)).toBe('sad');
    expect(top(notGreat.scores)).toBe('sad');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await model.predict(['great', 'awful stuff']);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('without the branch (older models) the same text gives a flat reading', async () => {
    const model = tinyModel(false);
    const [great] = await model.predict(['this is great']);
    expect(Math.max(...great.scores) - Math.min(...great.scores)).toBeLessThan(1e-6);
    model.dispose();
  });
});
