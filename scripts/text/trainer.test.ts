import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { featurize, DEFAULT_HASH_SETTINGS } from '../../src/text/features';
import { LABELS } from '../../src/shared/labels';
import { initNetwork, networkLogits, trainEpochs, type TrainConfig } from './trainer';
import { encodeWeights, decodeTensor } from '../../src/text/weights-format';
import { denseHeadRow, textHead } from '../../src/text/network';

const settings = { ...DEFAULT_HASH_SETTINGS, buckets: 1024 };
const config: TrainConfig = {
  buckets: 1024, embeddingSize: 8, domains: 2, epochs: 1, batchSize: 4, learningRate: 0.05, l2: 1e-4,
  featureDropout: 0, contextRate: 0, seed: 3,
};
const happy = LABELS.indexOf('happy');
const angry = LABELS.indexOf('angry');
const examples = [
  ...['i love this', 'so happy today', 'wonderful news', 'great, thanks'].map((t) => ({ text: t, label: happy })),
  ...['i hate you', 'get out now', 'so mad at you', 'shut up'].map((t) => ({ text: t, label: angry })),
].map((e) => ({ bag: featurize(e.text, settings), label: e.label, domain: 0, weight: 1 }));

describe('text trainer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('learns a separable toy set, is seeded, and keeps numTensors flat across steps', () => {
    const run = () => {
      const net = initNetwork(tf, config);
      trainEpochs(tf, net, examples, { ...config, epochs: 2 });
      const before = tf.memory().numTensors;
      trainEpochs(tf, net, examples, { ...config, epochs: 3 });
      const after = tf.memory().numTensors;
      const logits = networkLogits(tf, net, examples.map((e) => e.bag));
      net.dispose();
      return { before, after, logits };
    };
    const a = run();
    const b = run();
    expect(a.after).toBe(a.before);
    expect(Array.from(a.logits)).toEqual(Array.from(b.logits));
    const k = LABELS.length;
    examples.forEach((e, i) => {
      const row = Array.from(a.logits.subarray(i * k, (i + 1) * k));
      expect(row.indexOf(Math.max(...row))).toBe(e.label);
    });
  });

  it('trains the pretrained-vector projection: vectors alone separate the classes, tensors stay flat', () => {
    // Bags carry nothing (weight 0): only the 4-d sentence vectors (happy → +x, angry → −x) can separate the classes.
    const vectorExamples = examples.map((e, i) => ({
      ...e,
      bag: { ids: Int32Array.from([0]), weights: Float32Array.from([0]) },
      vectors: Float32Array.from([e.label === happy ? 1 : -1, 0.1 * (i % 3), 0, 0]),
    }));
    const vectorConfig = { ...config, vectorSize: 4, learningRate: 0.05 };
    const net = initNetwork(tf, vectorConfig);
    trainEpochs(tf, net, vectorExamples, { ...vectorConfig, epochs: 2 });
    const before = tf.memory().numTensors;
    trainEpochs(tf, net, vectorExamples, { ...vectorConfig, epochs: 20 });
    expect(tf.memory().numTensors).toBe(before);
    const logits = networkLogits(tf, net, vectorExamples.map((e) => e.bag), 256, vectorExamples.map((e) => e.vectors));
    net.dispose();
    const k = LABELS.length;
    vectorExamples.forEach((e, i) => {
      const row = Array.from(logits.subarray(i * k, (i + 1) * k));
      expect(row.indexOf(Math.max(...row))).toBe(e.label);
    });
  });

  it('the JS inference head equals the tfjs training head', () => {
    const d = 5;
    const k = LABELS.length;
    const bag = Float32Array.from({ length: 2 * (d + k) }, (_, i) => Math.cos(i * 1.7));
    const head = {
      hiddenBias: Float32Array.from({ length: d }, (_, i) => 0.1 * i),
      outKernel: Float32Array.from({ length: d * k }, (_, i) => Math.sin(i)),
      outBias: Float32Array.from({ length: k }, (_, i) => -0.2 * i),
    };
    const expected = tf.tidy(() =>
      textHead(tf, { hiddenBias: tf.tensor1d(head.hiddenBias), outKernel: tf.tensor2d(head.outKernel, [d, k]), outBias: tf.tensor1d(head.outBias) }, tf.tensor2d(bag, [2, d + k])).logits.arraySync(),
    );
    for (let r = 0; r < 2; r++) {
      const logits = new Float32Array(k);
      denseHeadRow(bag.subarray(r * (d + k), (r + 1) * (d + k)), head, logits, new Float32Array(d));
      logits.forEach((v, c) => expect(v).toBeCloseTo(expected[r][c], 5));
    }
  });

  it('int8 per-row quantisation round-trips within half a step', () => {
    const values = Float32Array.from({ length: 6 * 4 }, (_, i) => Math.sin(i) * (i % 6));
    const small = Float32Array.from([1, 2]);
    const { buffer, specs } = encodeWeights({
      table: { shape: [6, 4], values }, hiddenBias: { shape: [2], values: small },
      outKernel: { shape: [2, 1], values: small }, outBias: { shape: [2], values: small },
    });
    const table = decodeTensor(buffer.slice().buffer, specs[0]);
    for (let r = 0; r < 6; r++) {
      const row = values.subarray(r * 4, r * 4 + 4);
      const step = Math.max(...row.map(Math.abs)) / 127;
      row.forEach((v, c) => expect(Math.abs(table[r * 4 + c] - v)).toBeLessThanOrEqual(step / 2 + 1e-7));
    }
    expect(Array.from(decodeTensor(buffer.slice().buffer, specs[3]))).toEqual([1, 2]);
  });
});
