/**
 * One optimisation step of the fusion network with the BDCL objective — the same function runs in the Node
 * training script and in the browser worker's fine-tuning. Total loss (arXiv:2508.03722 eq. 9, plus our affect term):
 *   L = CE(fused, logit-adjusted optional) + λ_aux·mean_m CE(branch m) + λ_inter·L_inter + λ_intra·mean_m L_intra(m)
 *       + λ_affect·MSE(valence/arousal, class anchors)
 */
import * as tf from '@tensorflow/tfjs';
import { AFFECT_ANCHORS } from '../priors/affect';
import { LABELS, MODALITIES, type Modality } from '../shared/labels';
import { fusionInputs, type FusionSample } from '../fusion/batch';
import type { FusionNet } from '../fusion/model';
import { bclIntraLoss, crossEntropy, interModalityLoss, l2Normalize, sumTensors } from './bdcl';

export interface LossConfig {
  /** Inter-modality InfoNCE temperature. */
  tauInter: number;
  /** BCL temperature. */
  tauIntra: number;
  lambdaAux: number;
  lambdaInter: number;
  lambdaIntra: number;
  lambdaAffect: number;
  /** Logit adjustment τ (0 = plain CE). */
  logitAdjust: number;
  /** Training class frequencies (LABELS order), used with logitAdjust. */
  classPriors?: number[];
}

export const DEFAULT_LOSS_CONFIG: LossConfig = {
  tauInter: 0.2,
  tauIntra: 0.2,
  lambdaAux: 0.5,
  lambdaInter: 0.2,
  lambdaIntra: 0.2,
  lambdaAffect: 0.2,
  logitAdjust: 0,
};

/** Plain cross-entropy (the ablation baseline). */
export const PLAIN_CE_CONFIG: LossConfig = { ...DEFAULT_LOSS_CONFIG, lambdaInter: 0, lambdaIntra: 0 };

export interface TrainingBatch {
  /** Inputs already calibrated and standardised. */
  samples: readonly FusionSample[];
  /** Class index in LABELS order, −1 = unlabelled. */
  labels: Int32Array;
  /** Seed for dropout in this step. */
  seed?: number;
}

export type LossTerms = Record<'total' | 'ce' | 'aux' | 'inter' | 'intra' | 'affect', number>;

/** Builds the total loss and its terms for a batch (call inside a gradient function or tf.tidy). */
export function bdclObjective(net: FusionNet, batch: TrainingBatch, config: LossConfig, training = true): Record<keyof LossTerms, tf.Scalar> {
  const inputs = fusionInputs(batch.samples, net.config.inputDims);
  const out = net.apply(inputs, training, batch.seed ?? 0);
  const labels = batch.labels;
  const presence = batch.samples.map((s) => MODALITIES.map((m) => (s[m] ? 1 : 0)));
  const ce = crossEntropy(out.logits, labels, undefined, config.logitAdjust, config.classPriors);
  const auxTerms: tf.Scalar[] = [];
  const intraTerms: tf.Scalar[] = [];
  MODALITIES.forEach((m: Modality, j) => {
    const present = presence.map((p) => p[j]);
    if (!present.some((p, i) => p && labels[i] >= 0)) return;
    auxTerms.push(crossEntropy(out.branchLogits[m], labels, present, config.logitAdjust, config.classPriors));
    if (config.lambdaIntra > 0) {
      const prototypes = l2Normalize(net.v(`${m}/prototypes`) as unknown as tf.Tensor2D);
      intraTerms.push(bclIntraLoss(l2Normalize(out.embeddings[m]), prototypes, labels, present, config.tauIntra));
    }
  });
  const mean = (terms: tf.Scalar[]) => (terms.length ? (tf.div(sumTensors(terms), terms.length) as tf.Scalar) : tf.scalar(0));
  const aux = mean(auxTerms);
  const intra = mean(intraTerms);
  const inter = config.lambdaInter > 0 ? interModalityLoss(out.embeddings, presence, labels, config.tauInter) : tf.scalar(0);
  const affectTarget = new Float32Array(labels.length * 2);
  const affectRow = new Float32Array(labels.length);
  // Class anchors exist for the base LABELS only: a custom label set trains with lambdaAffect 0.
  labels.forEach((y, i) => {
    if (y < 0 || config.lambdaAffect === 0 || y >= LABELS.length) return;
    affectTarget[i * 2] = AFFECT_ANCHORS[LABELS[y]].valence;
    affectTarget[i * 2 + 1] = AFFECT_ANCHORS[LABELS[y]].arousal;
    affectRow[i] = 1;
  });
  const labelled = affectRow.reduce((s, v) => s + v, 0);
  const affect =
    labelled > 0
      ? (tf.div(
          tf.sum(tf.mul(tf.square(tf.sub(out.affect, tf.tensor2d(affectTarget, [labels.length, 2]))), tf.tensor2d(affectRow, [labels.length, 1]))),
          labelled * 2,
        ) as tf.Scalar)
      : tf.scalar(0);
  const total = sumTensors([
    ce,
    tf.mul(aux, config.lambdaAux),
    tf.mul(inter, config.lambdaInter),
    tf.mul(intra, config.lambdaIntra),
    tf.mul(affect, config.lambdaAffect),
  ]) as tf.Scalar;
  return { total, ce, aux, inter, intra, affect };
}

/**
 * One optimiser step; resolves to the loss terms as numbers (one asynchronous read-back, no dataSync, so it runs on
 * WebGPU). Leaves no tensors behind (numTensors flat).
 * @example const terms = await trainStep(net, tf.train.adam(1e-3), batch, DEFAULT_LOSS_CONFIG); terms.total
 */
export async function trainStep(net: FusionNet, optimizer: tf.Optimizer, batch: TrainingBatch, config: LossConfig): Promise<LossTerms> {
  let kept: Partial<Record<keyof LossTerms, tf.Scalar>> = {};
  const cost = optimizer.minimize(
    () => {
      const { total, ...terms } = bdclObjective(net, batch, config, true);
      kept = Object.fromEntries(Object.entries(terms).map(([k, t]) => [k, tf.keep(t)]));
      return total;
    },
    true,
    net.trainable(),
  );
  const names = ['total', ...Object.keys(kept)] as (keyof LossTerms)[];
  const tensors = [cost ?? tf.scalar(Number.NaN), ...Object.values(kept)] as tf.Scalar[];
  try {
    const stacked = tf.stack(tensors);
    const values = await stacked.data();
    stacked.dispose();
    return Object.fromEntries(names.map((n, i) => [n, values[i]])) as LossTerms;
  } finally {
    tf.dispose(tensors);
  }
}

/** Loss and global gradient norm of one step without applying it (backend agreement checks). */
export async function lossAndGradNorm(net: FusionNet, batch: TrainingBatch, config: LossConfig): Promise<{ loss: number; gradNorm: number }> {
  const pair = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => bdclObjective(net, batch, config, false).total, net.trainable());
    return tf.stack([value, tf.sqrt(sumTensors(Object.values(grads).map((g) => tf.sum(tf.square(g)))))]);
  });
  const [loss, gradNorm] = await pair.data();
  pair.dispose();
  return { loss, gradNorm };
}
