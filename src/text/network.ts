/**
 * The text network: an embedding bag over hashed features (fastText, Joulin et al. 2017) with a tanh hidden layer
 * (the embedding handed to fusion), ensembled with a hashed linear model whose per-bucket class logits share the
 * same table rows: table row = [embedding (d) | linear logits (K)], so one gather serves both.
 *   bag    = Σ_j w_j · table[id_j]                       (N × (d+K))
 *   hidden = tanh(bag[:, :d] + hiddenBias)               (embedding, N × d)
 *   logits = hidden · outKernel + outBias + bag[:, d:]   (N × K)
 * Used by training (Node) and inference (browser worker / Node); no I/O here.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { FeatureBag } from './features';

export type Tf = typeof tfType;

export interface TextNetworkParams {
  /** buckets × (embeddingSize + classes) */
  table: tfType.Tensor2D;
  hiddenBias: tfType.Tensor1D;
  /** embeddingSize × classes */
  outKernel: tfType.Tensor2D;
  outBias: tfType.Tensor1D;
}

export interface PackedBatch {
  ids: Int32Array;
  weights: Float32Array;
  rows: number;
  width: number;
}

/** Pads feature bags into N × width arrays (padding: bucket 0 with weight 0, which contributes nothing). */
export function packBags(bags: readonly Pick<FeatureBag, 'ids' | 'weights'>[]): PackedBatch {
  const width = Math.max(1, ...bags.map((b) => b.ids.length));
  const ids = new Int32Array(bags.length * width);
  const weights = new Float32Array(bags.length * width);
  bags.forEach((b, r) => {
    ids.set(b.ids, r * width);
    weights.set(b.weights, r * width);
  });
  return { ids, weights, rows: bags.length, width };
}

/** Dense head on a bag (N × (d+K)): returns logits and the tanh embedding. */
export function textHead(
  tf: Tf,
  params: Omit<TextNetworkParams, 'table'>,
  bag: tfType.Tensor2D,
): { logits: tfType.Tensor2D; embedding: tfType.Tensor2D } {
  const embeddingSize = params.hiddenBias.shape[0];
  const classes = params.outBias.shape[0];
  const [embeddingPart, linearPart] = tf.split(bag, [embeddingSize, classes], 1) as [tfType.Tensor2D, tfType.Tensor2D];
  const embedding = tf.tanh(tf.add(embeddingPart, params.hiddenBias)) as tfType.Tensor2D;
  const logits = tf.add(tf.add(tf.matMul(embedding, params.outKernel), params.outBias), linearPart) as tfType.Tensor2D;
  return { logits, embedding };
}

/** The embedding bag Σ_j w_j · table[id_j] (N × (d+K)) as one gather and one batched matMul. */
export function embeddingBag(tf: Tf, table: tfType.Tensor2D, ids: tfType.Tensor2D, weights: tfType.Tensor2D): tfType.Tensor2D {
  const [n, width] = ids.shape;
  const rows = tf.gather(table, ids) as unknown as tfType.Tensor3D; // N × width × (d+K)
  return tf.reshape(tf.matMul(tf.reshape(weights, [n, 1, width]), rows), [n, table.shape[1]]);
}

/** Dense head weights as plain arrays, for the JS head used at inference. */
export interface DenseHead {
  hiddenBias: Float32Array;
  /** d × K, row-major. */
  outKernel: Float32Array;
  outBias: Float32Array;
}

/**
 * The same head as textHead, on one bag row in plain JS: at inference the head is 48×6 multiply-adds, cheaper than
 * the per-op dispatch of a backend (tfjs keeps the table gather + bag). Writes into `logits` and `embedding`.
 */
export function denseHeadRow(bag: Float32Array, head: DenseHead, logits: Float32Array, embedding: Float32Array): void {
  const d = head.hiddenBias.length;
  const k = head.outBias.length;
  for (let j = 0; j < d; j++) embedding[j] = Math.tanh(bag[j] + head.hiddenBias[j]);
  for (let c = 0; c < k; c++) {
    let z = head.outBias[c] + bag[d + c];
    for (let j = 0; j < d; j++) z += embedding[j] * head.outKernel[j * k + c];
    logits[c] = z;
  }
}
