/**
 * Development probe (not part of the shipped pipeline): how much does a pretrained-vector classifier add to the
 * shipped hashed model? Softmax regression on SIF sentence vectors (MELD train, optionally + other corpora), then
 * late fusion log p_shipped + α · log p_vectors, α scanned on MELD dev.
 *   npx tsx scripts/text/vector-probe.ts --data ../shared/data/text
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { LABELS } from '../../src/shared/labels';
import { loadTextModel } from '../../src/text/model';
import { tokenizeUtterance } from '../../src/text/tokenize';
import { buildWordVectorTable, sentenceVector } from '../../src/text/word-vectors';
import { vocabularyFrom } from './calibration';
import { loadSplit, type Domain } from './datasets';
import { argmax, evaluate } from './metrics';
import { selectWinkVectors } from './wink-vectors';

const { values: args } = parseArgs({ options: {
  data: { type: 'string', default: '../shared/data/text' },
  model: { type: 'string', default: 'public/models/text' },
  corpora: { type: 'string', default: 'meld' },
  epochs: { type: 'string', default: '30' },
  hidden: { type: 'string', default: '0' },
  scale: { type: 'string', default: '10' },
} });
await tf.setBackend('cpu');
const dataDir = resolve(args.data!);
const train = (args.corpora!.split(',') as Domain[]).flatMap((d) => loadSplit(dataDir, d, 'train'));
const dev = loadSplit(dataDir, 'meld', 'dev');
const selected = selectWinkVectors(vocabularyFrom([...train, ...loadSplit(dataDir, 'meld', 'train')].map((u) => u.text), 1, 200000), 40000);
const table = buildWordVectorTable(selected.words, selected.vectors, selected.dimensions);
const size = 2 * selected.dimensions;
const featurise = (rows: typeof train) => {
  const x = new Float32Array(rows.length * size);
  rows.forEach((u, i) => x.set(sentenceVector(tokenizeUtterance(u.text), table), i * size));
  return tf.mul(tf.tensor2d(x, [rows.length, size]), Number(args.scale)) as tf.Tensor2D;
};
const k = LABELS.length;
const counts = LABELS.map((_, c) => train.filter((u) => u.label === c).length);
const xTrain = featurise(train);
const yTrain = tf.oneHot(tf.tensor1d(train.map((u) => u.label), 'int32'), k);
const classWeight = Object.fromEntries(counts.map((n, c) => [c, Math.sqrt(train.length / (k * Math.max(1, n)))]));
const xDev = featurise(dev);
const hidden = Number(args.hidden);
const model = tf.sequential();
if (hidden > 0) model.add(tf.layers.dense({ units: hidden, activation: 'tanh', inputShape: [size] }));
if (hidden > 0) model.add(tf.layers.dropout({ rate: 0.3 }));
model.add(tf.layers.dense({ units: k, inputShape: hidden > 0 ? undefined : [size], kernelRegularizer: tf.regularizers.l2({ l2: 1e-4 }) }));
model.compile({ optimizer: tf.train.adam(0.01), loss: tf.losses.softmaxCrossEntropy });
const truth = dev.map((u) => u.label);
const shipped = await loadTextModel({ dir: resolve(args.model!) }, tf);
const shippedLog = (await shipped.predict(dev.map((u) => u.text))).map((r) => Array.from(r.scores, (p) => Math.log(p)));
const base = evaluate(truth, shippedLog.map(argmax));
console.log(`shipped: wF1 ${base.weightedF1.toFixed(4)} macro ${base.macroF1.toFixed(4)}`);
for (let e = 0; e < Number(args.epochs); e += 5) {
  await model.fit(xTrain, yTrain, { epochs: 5, batchSize: 128, classWeight, verbose: 0, shuffle: true });
  const logits = tf.tidy(() => tf.logSoftmax(model.predict(xDev) as tf.Tensor2D).arraySync() as number[][]);
  const alone = evaluate(truth, logits.map(argmax));
  const line = [`epoch ${e + 5}: vectors alone wF1 ${alone.weightedF1.toFixed(4)} macro ${alone.macroF1.toFixed(4)}`];
  for (const alpha of [0.2, 0.35, 0.5, 0.75, 1]) {
    const m = evaluate(truth, shippedLog.map((s, i) => argmax(s.map((v, c) => v + alpha * logits[i][c]))));
    line.push(`α${alpha} ${m.weightedF1.toFixed(4)}/${m.macroF1.toFixed(4)}`);
  }
  console.log(line.join(' | '));
}
