/**
 * Seeded training loop for the text network (src/text/network.ts).
 * The hashed table is trained sparsely: the bag is summed in JS from the touched rows, tfjs computes the dense
 * head and d loss / d bag, and the touched rows are updated by lazy Adam (TF's LazyAdamOptimizer: moments of a
 * row move only when the row is used). tfjs' dense gather gradient would materialise the whole table per step.
 * - Per-domain output bias ("domain tag" on the classifier): out-of-domain corpora (Reddit, tweets) keep their own
 *   class priors; only the MELD bias is kept for inference.
 * - Per-example weights down-weight out-of-domain data; feature dropout (random zeroing of bag entries) regularises;
 *   L2 on touched rows and on the output kernel.
 */
import type * as tfType from '@tensorflow/tfjs';
import { LABELS } from '../../src/shared/labels';
import type { FeatureBag } from '../../src/text/features';
import { textHead, type Tf } from '../../src/text/network';
import { seededRandom } from '../../src/training/seeded-random';

export { seededRandom };

const SENTIMENT_CLASSES = 3;

type Bag = Pick<FeatureBag, 'ids' | 'weights'>;

export interface TrainExample {
  bag: Bag;
  /** Same utterance featurised with its previous utterance, when available. */
  contextBag?: Bag;
  /** Pretrained-vector sentence vector (src/text/word-vectors.ts), when config.vectorSize > 0. */
  vectors?: Float32Array;
  label: number;
  domain: number;
  weight: number;
  /** Auxiliary sentiment class (index into SENTIMENTS of datasets.ts), when annotated. */
  sentiment?: number;
}

export interface TrainConfig {
  buckets: number;
  embeddingSize: number;
  domains: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  l2: number;
  featureDropout: number;
  /** Probability of using contextBag when present (0 = never train with context). */
  contextRate: number;
  /** Length of the sentence vector projected into the bag (0 = no pretrained-vector branch). */
  vectorSize?: number;
  /** Label smoothing ε (Szegedy et al. 2016): targets (1 − ε)·onehot + ε/K. */
  labelSmoothing?: number;
  /**
   * Weight of an auxiliary sentiment head (negative/neutral/positive, training only) on the shared embedding:
   * multi-task learning (Caruana 1997) with MELD's Sentiment column; 0 = no head.
   */
  sentimentWeight?: number;
  seed: number;
}

export interface TextNetworkState {
  /** buckets × (d+K), row-major. */
  table: Float32Array;
  width: number;
  hiddenBias: tfType.Variable;
  outKernel: tfType.Variable;
  outBias: tfType.Variable;
  domainBias: tfType.Variable;
  /** vectorSize × (d+K): sentence vector → bag (absent without a vector branch). */
  projection?: tfType.Variable;
  /** Auxiliary sentiment head (d × 3 and 3), training only (absent when config.sentimentWeight is 0). */
  sentimentKernel?: tfType.Variable;
  sentimentBias?: tfType.Variable;
  dispose(): void;
}

export function initNetwork(tf: Tf, config: TrainConfig): TextNetworkState {
  const k = LABELS.length;
  const d = config.embeddingSize;
  const random = seededRandom(config.seed);
  const table = new Float32Array(config.buckets * (d + k));
  // Small uniform init for the embedding part; the linear part starts at zero (a plain linear model).
  for (let r = 0; r < config.buckets; r++) for (let c = 0; c < d; c++) table[r * (d + k) + c] = (random() - 0.5) * 0.1;
  const hiddenBias = tf.variable(tf.zeros([d]));
  const outKernel = tf.variable(tf.randomNormal([d, k], 0, Math.sqrt(2 / (d + k)), 'float32', config.seed));
  const outBias = tf.variable(tf.zeros([k]));
  const domainBias = tf.variable(tf.zeros([config.domains, k]));
  const projection = config.vectorSize ? tf.variable(tf.randomNormal([config.vectorSize, d + k], 0, 0.05, 'float32', config.seed + 5)) : undefined;
  const sentimentKernel = config.sentimentWeight ? tf.variable(tf.randomNormal([d, SENTIMENT_CLASSES], 0, Math.sqrt(2 / (d + SENTIMENT_CLASSES)), 'float32', config.seed + 7)) : undefined;
  const sentimentBias = config.sentimentWeight ? tf.variable(tf.zeros([SENTIMENT_CLASSES])) : undefined;
  return {
    table,
    width: d + k,
    hiddenBias,
    outKernel,
    outBias,
    domainBias,
    projection,
    sentimentKernel,
    sentimentBias,
    dispose: () => [hiddenBias, outKernel, outBias, domainBias, projection, sentimentKernel, sentimentBias].forEach((t) => t?.dispose()),
  };
}

/** Σ_j w_j · table[id_j] for each bag. */
export function sumBags(net: Pick<TextNetworkState, 'table' | 'width'>, bags: readonly Bag[]): Float32Array {
  const out = new Float32Array(bags.length * net.width);
  bags.forEach((b, n) => {
    for (let j = 0; j < b.ids.length; j++) {
      const w = b.weights[j];
      if (w === 0) continue;
      const row = b.ids[j] * net.width;
      for (let c = 0; c < net.width; c++) out[n * net.width + c] += w * net.table[row + c];
    }
  });
  return out;
}

/** Batch sentence vectors (N × size), each with whole-vector dropout at `dropout` / 2 (zeros when missing). */
function batchVectors(batch: readonly TrainExample[], size: number, dropout: number, random: () => number): Float32Array {
  const out = new Float32Array(batch.length * size);
  batch.forEach((e, i) => {
    if (e.vectors && random() >= dropout / 2) out.set(e.vectors, i * size);
  });
  return out;
}

/** Runs `epochs` epochs; `onEpoch` may evaluate. Tensor count is flat across steps (checked by the unit test). */
export function trainEpochs(
  tf: Tf,
  net: TextNetworkState,
  examples: readonly TrainExample[],
  config: TrainConfig,
  onEpoch?: (epoch: number, meanLoss: number) => void,
): void {
  const random = seededRandom(config.seed + 17);
  const optimizer = tf.train.adam(config.learningRate);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  const m = new Float32Array(net.table.length);
  const v = new Float32Array(net.table.length);
  const steps = new Int32Array(config.buckets);
  const order = examples.map((_, i) => i);
  const dense: Record<string, tfType.Variable> = { hiddenBias: net.hiddenBias, outKernel: net.outKernel, outBias: net.outBias, domainBias: net.domainBias };
  if (net.projection) dense.projection = net.projection;
  if (net.sentimentKernel && net.sentimentBias) Object.assign(dense, { sentimentKernel: net.sentimentKernel, sentimentBias: net.sentimentBias });
  const sentimentWeight = net.sentimentKernel ? (config.sentimentWeight ?? 0) : 0;
  const vectorSize = net.projection?.shape[0] ?? 0;
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s < order.length; s += config.batchSize) {
      const batch = order.slice(s, s + config.batchSize).map((i) => examples[i]);
      const bags = batch.map((e) => {
        const source = e.contextBag && random() < config.contextRate ? e.contextBag : e.bag;
        return { ids: source.ids, weights: Float32Array.from(source.weights, (w) => (random() < config.featureDropout ? 0 : w)) };
      });
      const n = batch.length;
      const bagValues = sumBags(net, bags);
      const { loss, bagGrad } = tf.tidy(() => {
        const bag = tf.variable(tf.tensor2d(bagValues, [n, net.width]), true, `bag${s}_${epoch}`);
        const labels = tf.oneHot(tf.tensor1d(batch.map((e) => e.label), 'int32'), LABELS.length);
        const domains = tf.tensor1d(batch.map((e) => e.domain), 'int32');
        const exampleWeights = tf.tensor1d(batch.map((e) => e.weight));
        const vectors = vectorSize ? tf.tensor2d(batchVectors(batch, vectorSize, config.featureDropout, random), [n, vectorSize]) : null;
        const hasSentiment = sentimentWeight > 0 && batch.some((e) => e.sentiment !== undefined);
        const sentimentLabels = hasSentiment ? tf.oneHot(tf.tensor1d(batch.map((e) => e.sentiment ?? 0), 'int32'), SENTIMENT_CLASSES) : null;
        const sentimentWeights = hasSentiment ? tf.tensor1d(batch.map((e) => (e.sentiment === undefined ? 0 : e.weight))) : null;
        // The sentiment head gets no gradient from a batch without sentiment labels: leave it out of that step.
        const trained = Object.entries(dense).filter(([name]) => hasSentiment || !name.startsWith('sentiment')).map(([, v]) => v);
        const { value, grads } = tf.variableGrads(() => {
          const input = vectors && net.projection ? tf.add(bag, tf.matMul(vectors, net.projection)) : bag;
          const { logits, embedding } = textHead(tf, { hiddenBias: net.hiddenBias as tfType.Tensor1D, outKernel: net.outKernel as tfType.Tensor2D, outBias: net.outBias as tfType.Tensor1D }, input as tfType.Tensor2D);
          const adjusted = tf.add(logits, tf.gather(net.domainBias, domains));
          let ce = tf.losses.softmaxCrossEntropy(labels, adjusted, exampleWeights, config.labelSmoothing ?? 0, tf.Reduction.SUM);
          if (sentimentLabels && sentimentWeights && net.sentimentKernel && net.sentimentBias) {
            const sentimentLogits = tf.add(tf.matMul(embedding, net.sentimentKernel), net.sentimentBias);
            ce = tf.add(ce, tf.mul(sentimentWeight, tf.losses.softmaxCrossEntropy(sentimentLabels, sentimentLogits, sentimentWeights, 0, tf.Reduction.SUM)));
          }
          const reg = tf.mul(config.l2, tf.add(tf.sum(tf.square(net.outKernel)), net.projection ? tf.sum(tf.square(net.projection)) : 0));
          return tf.add(tf.div(ce, tf.sum(exampleWeights)), reg) as tfType.Scalar;
        }, [bag, ...trained]);
        optimizer.applyGradients(trained.map((variable) => ({ name: variable.name, tensor: grads[variable.name] })));
        const result = { loss: value.dataSync()[0], bagGrad: grads[bag.name].dataSync() as Float32Array };
        bag.dispose();
        return result;
      });
      // Scatter d loss / d bag back to the touched rows (chain rule through the weighted sum), then lazy Adam.
      const rowGrads = new Map<number, Float32Array>();
      bags.forEach((b, r) => {
        for (let j = 0; j < b.ids.length; j++) {
          const w = b.weights[j];
          if (w === 0) continue;
          let g = rowGrads.get(b.ids[j]);
          if (!g) rowGrads.set(b.ids[j], (g = new Float32Array(net.width)));
          for (let c = 0; c < net.width; c++) g[c] += w * bagGrad[r * net.width + c];
        }
      });
      for (const [id, g] of rowGrads) {
        const t = ++steps[id];
        const correction1 = 1 - beta1 ** t;
        const correction2 = 1 - beta2 ** t;
        for (let c = 0; c < net.width; c++) {
          const at = id * net.width + c;
          const grad = g[c] + 2 * config.l2 * net.table[at];
          m[at] = beta1 * m[at] + (1 - beta1) * grad;
          v[at] = beta2 * v[at] + (1 - beta2) * grad * grad;
          net.table[at] -= (config.learningRate * (m[at] / correction1)) / (Math.sqrt(v[at] / correction2) + eps);
        }
      }
      lossSum += loss;
      batches++;
    }
    onEpoch?.(epoch, lossSum / Math.max(1, batches));
  }
  optimizer.dispose();
}

function denseVariables(net: TextNetworkState): tfType.Variable[] {
  return [net.hiddenBias, net.outKernel, net.outBias, net.domainBias, ...[net.projection, net.sentimentKernel, net.sentimentBias].filter((v): v is tfType.Variable => v !== undefined)];
}

/**
 * Stochastic weight averaging (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima"): a running mean of
 * the weights at the end of each epoch from some epoch on; the average usually generalises better than the last point.
 */
export class WeightAverage {
  private count = 0;
  private table: Float32Array | null = null;
  private dense: Float32Array[] = [];

  add(net: TextNetworkState): void {
    const dense = denseVariables(net).map((v) => v.dataSync() as Float32Array);
    this.count++;
    if (!this.table) {
      this.table = Float32Array.from(net.table);
      this.dense = dense.map((d) => Float32Array.from(d));
      return;
    }
    const rate = 1 / this.count;
    for (let i = 0; i < this.table.length; i++) this.table[i] += (net.table[i] - this.table[i]) * rate;
    this.dense.forEach((avg, j) => avg.forEach((v, i) => (avg[i] = v + (dense[j][i] - v) * rate)));
  }

  /** Writes the average into the network (no-op if nothing was added). */
  applyTo(tf: Tf, net: TextNetworkState): void {
    if (!this.table) return;
    net.table.set(this.table);
    denseVariables(net).forEach((v, j) => tf.tidy(() => v.assign(tf.tensor(this.dense[j], v.shape))));
  }
}

/** Raw network logits (no domain bias) for many bags, in batches. */
export function networkLogits(tf: Tf, net: TextNetworkState, bags: readonly Bag[], batchSize = 256, vectors?: readonly Float32Array[]): Float32Array {
  const k = LABELS.length;
  const out = new Float32Array(bags.length * k);
  for (let s = 0; s < bags.length; s += batchSize) {
    const chunk = bags.slice(s, s + batchSize);
    const bagValues = sumBags(net, chunk);
    const values = tf.tidy(() => {
      let bag = tf.tensor2d(bagValues, [chunk.length, net.width]);
      if (net.projection && vectors) {
        const size = net.projection.shape[0];
        const x = new Float32Array(chunk.length * size);
        for (let i = 0; i < chunk.length; i++) x.set(vectors[s + i], i * size);
        bag = tf.add(bag, tf.matMul(tf.tensor2d(x, [chunk.length, size]), net.projection));
      }
      return textHead(tf, { hiddenBias: net.hiddenBias as tfType.Tensor1D, outKernel: net.outKernel as tfType.Tensor2D, outBias: net.outBias as tfType.Tensor1D }, bag).logits.dataSync();
    });
    out.set(values, s * k);
  }
  return out;
}
