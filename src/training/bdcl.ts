/**
 * Balanced Dual-Contrastive Learning (BDCL), the training objective of the seed paper (arXiv:2508.03722 §3.4):
 * - inter-modality: CLIP-style symmetric InfoNCE (Radford et al. 2021) between the embeddings of each pair of present
 *   modalities of the same segment, averaged within each class before averaging across classes ("balanced"); needs no
 *   labels (unlabelled samples form one group of their own, so an unlabelled batch is a plain mean);
 * - intra-modality: Balanced Contrastive Learning (Zhu et al., CVPR 2022, "Balanced Contrastive Learning for
 *   Long-Tailed Visual Recognition", eq. 6): supervised contrastive with class-averaged denominator and
 *   class-complement (every class prototype is always in the batch), so each class contributes equally;
 * - classification: cross-entropy, optionally logit-adjusted (Menon et al., ICLR 2021, "Long-tail learning via logit
 *   adjustment": add τ·log π_y to the logits during training), on the fused head plus each branch's auxiliary head.
 *
 * Everything that depends only on labels and masks (group weights, positive sets, denominator weights) is computed
 * in plain TypeScript and enters as constant tensors; only embeddings and logits carry gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { MODALITIES, type Modality } from '../shared/labels';

const MASKED = -1e9;

/**
 * Sum of tensors by pairwise tf.add. tf.addN binds one storage buffer per input, and WebGPU adapters may allow
 * only 8 per shader stage (SwiftShader in headless Chromium does), so a long addN fails there.
 */
export function sumTensors<T extends tf.Tensor>(tensors: readonly T[]): T {
  if (tensors.length === 0) throw new Error('sumTensors: no tensors');
  return tensors.slice(1).reduce((acc, t) => tf.add(acc, t) as T, tensors[0]);
}

/**
 * Weights that average a per-sample quantity within each group (class, or "unlabelled" for label < 0) and then
 * across the groups present: Σ w = 1 over valid samples, 0 elsewhere.
 */
export function classBalancedWeights(labels: ArrayLike<number>, valid: ArrayLike<boolean | number>): Float32Array {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) {
    if (!valid[i]) continue;
    const g = labels[i] < 0 ? -1 : labels[i];
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  const w = new Float32Array(labels.length);
  if (counts.size === 0) return w;
  for (let i = 0; i < labels.length; i++) {
    if (!valid[i]) continue;
    const g = labels[i] < 0 ? -1 : labels[i];
    w[i] = 1 / (counts.get(g)! * counts.size);
  }
  return w;
}

/** Row-wise L2 normalisation. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}

/**
 * Symmetric InfoNCE between two modalities' normalised embeddings [B, d]; sample i's positive is row i of the
 * other modality; samples not valid for this pair are excluded as rows and as negatives.
 * Returns Σ_i w_i · ½(ℓ_i(a→b) + ℓ_i(b→a)) with class-balanced weights w.
 */
export function interModalityPairLoss(
  za: tf.Tensor2D,
  zb: tf.Tensor2D,
  valid: ArrayLike<boolean | number>,
  labels: ArrayLike<number>,
  tau: number,
): tf.Scalar {
  const n = labels.length;
  const weights = classBalancedWeights(labels, valid);
  const columnMask = tf.tensor2d(Float32Array.from({ length: n }, (_, j) => (valid[j] ? 0 : MASKED)), [1, n]);
  const sim = tf.div(tf.matMul(za, zb, false, true), tau);
  const eye = tf.eye(n);
  const rowLoss = tf.neg(tf.sum(tf.mul(tf.logSoftmax(tf.add(sim, columnMask)), eye), 1));
  const colLoss = tf.neg(tf.sum(tf.mul(tf.logSoftmax(tf.add(tf.transpose(sim), columnMask)), eye), 1));
  return tf.sum(tf.mul(tf.mul(tf.add(rowLoss, colLoss), 0.5), tf.tensor1d(weights))) as tf.Scalar;
}

/** Mean of the pair losses over every modality pair with at least two samples where both are present. */
export function interModalityLoss(
  embeddings: Record<Modality, tf.Tensor2D>,
  presence: readonly (readonly number[])[],
  labels: ArrayLike<number>,
  tau: number,
): tf.Scalar {
  const terms: tf.Scalar[] = [];
  for (let a = 0; a < MODALITIES.length; a++) {
    for (let b = a + 1; b < MODALITIES.length; b++) {
      const valid = presence.map((p) => (p[a] && p[b] ? 1 : 0));
      if (valid.reduce<number>((s, v) => s + v, 0) < 2) continue;
      terms.push(interModalityPairLoss(l2Normalize(embeddings[MODALITIES[a]]), l2Normalize(embeddings[MODALITIES[b]]), valid, labels, tau));
    }
  }
  return terms.length ? (tf.div(sumTensors(terms), terms.length) as tf.Scalar) : tf.scalar(0);
}

/**
 * BCL intra-modality loss (Zhu et al. 2022, eq. 6) for one branch. z: normalised embeddings [B, d];
 * prototypes: normalised class prototypes [K, d]. For anchor i of class y with positives P = {same-class batch
 * samples} ∪ {prototype y}:
 *   ℓ_i = −1/|P| Σ_{p∈P} log( exp(z_i·z_p/τ) / Σ_k 1/(|B_k|+1) Σ_{j∈B_k∪{c_k}} exp(z_i·z_j/τ) )
 * where B_k are the class-k batch samples other than i (class-averaged denominator, every prototype present).
 * Per-anchor losses are averaged within class, then across classes. Only labelled, present samples take part.
 */
export function bclIntraLoss(
  z: tf.Tensor2D,
  prototypes: tf.Tensor2D,
  labels: ArrayLike<number>,
  valid: ArrayLike<boolean | number>,
  tau: number,
): tf.Scalar {
  const n = labels.length;
  const k = prototypes.shape[0];
  const ok = Array.from({ length: n }, (_, i) => Boolean(valid[i]) && labels[i] >= 0);
  const classCount = new Array<number>(k).fill(0);
  ok.forEach((v, i) => v && classCount[labels[i]]++);
  const logWeight = new Float32Array(n * (n + k)).fill(MASKED);
  const positive = new Float32Array(n * (n + k));
  for (let i = 0; i < n; i++) {
    if (!ok[i]) continue;
    const others = (c: number) => classCount[c] - (labels[i] === c ? 1 : 0);
    let positives = 1;
    for (let j = 0; j < n; j++) {
      if (j === i || !ok[j]) continue;
      logWeight[i * (n + k) + j] = -Math.log(others(labels[j]) + 1);
      if (labels[j] === labels[i]) {
        positive[i * (n + k) + j] = 1;
        positives++;
      }
    }
    for (let c = 0; c < k; c++) logWeight[i * (n + k) + n + c] = -Math.log(others(c) + 1);
    positive[i * (n + k) + n + labels[i]] = 1;
    for (let j = 0; j < n + k; j++) positive[i * (n + k) + j] /= positives;
  }
  const sim = tf.div(tf.concat([tf.matMul(z, z, false, true), tf.matMul(z, prototypes, false, true)], 1), tau);
  const logDenominator = tf.logSumExp(tf.add(sim, tf.tensor2d(logWeight, [n, n + k])), 1);
  const numerator = tf.sum(tf.mul(sim, tf.tensor2d(positive, [n, n + k])), 1);
  const weights = classBalancedWeights(labels, ok);
  return tf.sum(tf.mul(tf.sub(logDenominator, numerator), tf.tensor1d(weights))) as tf.Scalar;
}

/**
 * Cross-entropy over labelled rows (label ≥ 0, optional row mask), mean over those rows. With `logitAdjust` τ > 0
 * and class priors π, the logits get + τ·log π before the softmax (Menon et al. 2021, eq. 10).
 */
export function crossEntropy(
  logits: tf.Tensor2D,
  labels: ArrayLike<number>,
  rowMask?: ArrayLike<number>,
  logitAdjust = 0,
  classPriors?: readonly number[],
): tf.Scalar {
  const [n, k] = logits.shape;
  const oneHot = new Float32Array(n * k);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0 || (rowMask && !rowMask[i])) continue;
    oneHot[i * k + labels[i]] = 1;
    rows++;
  }
  if (rows === 0) return tf.scalar(0);
  let adjusted: tf.Tensor2D = logits;
  if (logitAdjust > 0 && classPriors) {
    adjusted = tf.add(logits, tf.tensor2d(classPriors.map((p) => logitAdjust * Math.log(Math.max(p, 1e-8))), [1, k]));
  }
  return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(adjusted), tf.tensor2d(oneHot, [n, k])))), rows) as tf.Scalar;
}
