/**
 * The fusion training schedule (scripts/train.ts drives it; eval's ablation reruns it with plain CE):
 *  stage 1, semi-supervised — warm up on labelled composites; pseudo-label the held-back train items where the
 *    model's own branch head AND the local reasoner agree; continue on labelled + pseudo-labelled composites with
 *    the label-free inter-modality term;
 *  stage 2, prior-guided — half of the composites carry the local reasoner's prior, so the prior gate learns how
 *    much to trust it; lower learning rate.
 * Model selection after every epoch on dev (mean macro-F1 of fused triples and each branch alone): the best stage-1
 * snapshot starts stage 2, and the best stage-2 snapshot is shipped.
 */
import * as tf from '@tensorflow/tfjs';
import { fusionInputs, type FusionSample } from '../../src/fusion/batch';
import { DEFAULT_FUSION_CONFIG, FusionNet } from '../../src/fusion/model';
import { LABELS, MODALITIES, type Modality } from '../../src/shared/labels';
import { DEFAULT_LOSS_CONFIG, trainStep, type LossConfig } from '../../src/training/train-step';
import { classificationReport } from '../lib/metrics';
import { balancedAnchors, composeAround, poolByLabel, rng, sampleOf, shuffle, type Composite, type Item } from './compose';
import { localPrior, type PriorParts } from './priors';

/** The shipped loss: BDCL with λ_intra 0.5 (on face-only dev runs 0.535 vs 0.530 macro-F1 at 0.2, 0.502 with plain CE). */
export const FUSION_BDCL_LOSS: LossConfig = { ...DEFAULT_LOSS_CONFIG, lambdaIntra: 0.5 };

/**
 * The shipped recipe's hyper-parameters: scripts/train.ts defaults, and eval's retraining sections (ablation, face
 * corpus left out) reuse them. Dropout 0.5, not the in-browser fine-tune's 0.2: on dev (seeds 7–9) fused macro-F1
 * 0.787 vs 0.775, and the face branch trained on muxspace alone reads Taiwanese faces at 0.504 vs 0.433 macro-F1.
 */
export const FUSION_RECIPE = { batchSize: 64, learningRate: 3e-3, pairProbability: 0.6, conflictProbability: 0.5, dropout: 0.5 } as const;

export interface TrainOptions {
  dims: Record<Modality, number>;
  seed: number;
  loss: LossConfig;
  epochs: { warmup: number; semi: number; prior: number };
  batchSize: number;
  learningRate: number;
  /** Probability that each other modality joins a composite (modality dropout = 1 − this). */
  pairProbability: number;
  /** Probability that a full triple gets one non-anchor branch from another class (label = the 2-of-3 majority). */
  conflictProbability?: number;
  /** Class-balanced anchor sampling per modality (default true). */
  balanced?: boolean;
  /** Encoder dropout (default DEFAULT_FUSION_CONFIG.dropout). */
  dropout?: number;
  /** Consider the average of the stage-2 epoch weights as the shipped snapshot (default true). */
  averageStage2?: boolean;
  /** Stage 2: composites with priors attached (fixed set, priors fetched once via fetchPriorsCached). */
  priorComposites?: readonly Composite[];
  log?: (line: string) => void;
}

export interface TrainResult {
  net: FusionNet;
  history: { epoch: number; stage: string; loss: number; devMacroF1: number }[];
  pseudoLabels: { heldBack: number; kept: number; correct: number; checkable: number };
  bestEpoch: number;
}

/** Probabilities for a list of samples: fused and each branch head (batched, inside tf.tidy). */
export function predictNet(net: FusionNet, samples: readonly FusionSample[], batchSize = 256): { probs: Float32Array[]; branch: Record<Modality, Float32Array[]> } {
  const probs: Float32Array[] = [];
  const branch = { face: [] as Float32Array[], voice: [] as Float32Array[], text: [] as Float32Array[] };
  for (let start = 0; start < samples.length; start += batchSize) {
    const chunk = samples.slice(start, start + batchSize);
    const out = tf.tidy(() => {
      const o = net.apply(fusionInputs(chunk, net.config.inputDims), false);
      return { p: tf.softmax(o.logits).dataSync(), b: MODALITIES.map((m) => tf.softmax(o.branchLogits[m]).dataSync()) };
    });
    const k = LABELS.length;
    chunk.forEach((_, i) => {
      probs.push(Float32Array.from(out.p.slice(i * k, (i + 1) * k)));
      MODALITIES.forEach((m, j) => branch[m].push(Float32Array.from(out.b[j].slice(i * k, (i + 1) * k))));
    });
  }
  return { probs, branch };
}

const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
};

/**
 * Model-selection score on dev: mean of the fused macro-F1 on composed triples and each branch's macro-F1 alone
 * (the branches must stand on their own when the other modalities are missing).
 */
export function macroF1(net: FusionNet, composites: readonly Composite[]): number {
  const { probs } = predictNet(net, composites.map((c) => sampleOf(c)));
  const fused = classificationReport(composites.map((c) => c.label), probs.map(argmax), LABELS.length).macroF1;
  const scores = [fused];
  for (const m of MODALITIES) {
    const own = composites.filter((c) => c.parts[m]);
    if (!own.length) continue;
    const { probs: alone } = predictNet(net, own.map((c) => ({ face: null, voice: null, text: null, [m]: c.parts[m]!.std })));
    scores.push(classificationReport(own.map((c) => c.label), alone.map(argmax), LABELS.length).macroF1);
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** The reasoner's label for one item alone (face AUs, speaker-relative prosody, or text scores). */
export function reasonerLabelOf(item: Item): number {
  return localPrior({
    face: item.modality === 'face' ? item.raw : null,
    voice: item.modality === 'voice' ? { raw: item.raw, speakerMean: item.speakerMean! } : null,
    textScores: item.modality === 'text' ? item.textScores : null,
  }).label;
}

/** The reasoner's input parts of a composite. */
export function priorParts(c: Composite): PriorParts {
  return {
    face: c.parts.face?.raw ?? null,
    voice: c.parts.voice ? { raw: c.parts.voice.raw, speakerMean: c.parts.voice.speakerMean! } : null,
    textScores: c.parts.text?.textScores ?? null,
  };
}

function snapshot(net: FusionNet): Map<string, Float32Array> {
  return new Map([...net.variables].map(([k, v]) => [k, v.dataSync() as Float32Array]));
}

export async function trainFusion(train: Item[], devTriples: readonly Composite[], options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => {});
  const random = rng(options.seed);
  const net = new FusionNet({ ...DEFAULT_FUSION_CONFIG, ...(options.dropout !== undefined ? { dropout: options.dropout } : {}), inputDims: options.dims, seed: options.seed });
  let optimizer = tf.train.adam(options.learningRate);
  const history: TrainResult['history'] = [];
  let best = { f1: -1, epoch: 0, weights: snapshot(net) };
  let step = 0;
  // `correct` counts pseudo-labels that match a known label (held-back people, low-agreement images); recordings
  // outside the six classes (label −1) have none to match.
  const pseudoLabels = { heldBack: train.filter((i) => i.trainLabel < 0).length, kept: 0, correct: 0, checkable: 0 };

  const runEpoch = async (epoch: number, stage: string, priorShare: number) => {
    const labelled = train.filter((i) => i.trainLabel >= 0);
    const pool = poolByLabel(labelled, (i) => i.trainLabel);
    let composites = composeAround(options.balanced === false ? shuffle([...labelled], random) : balancedAnchors(labelled, (i) => i.trainLabel, random), pool, (i) => i.trainLabel, options.pairProbability, random, options.conflictProbability ?? 0);
    const withPriors = options.priorComposites ?? [];
    if (priorShare > 0 && withPriors.length) {
      composites = composites.map((c) => (random() < priorShare ? withPriors[Math.floor(random() * withPriors.length)] : c));
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start < composites.length; start += options.batchSize) {
      const chunk = composites.slice(start, start + options.batchSize);
      if (chunk.length < 4) continue;
      const terms = await trainStep(
        net,
        optimizer,
        { samples: chunk.map((c) => sampleOf(c)), labels: Int32Array.from(chunk, (c) => c.label), seed: options.seed * 100_003 + step++ },
        options.loss,
      );
      lossSum += terms.total;
      batches++;
    }
    const f1 = macroF1(net, devTriples);
    history.push({ epoch, stage, loss: lossSum / Math.max(1, batches), devMacroF1: f1 });
    log(`  epoch ${epoch} [${stage}] loss ${(lossSum / Math.max(1, batches)).toFixed(4)} dev selection score (mean macro-F1 fused + branches) ${f1.toFixed(4)}`);
    if (f1 > best.f1) best = { f1, epoch, weights: snapshot(net) };
  };

  let epoch = 0;
  for (let e = 0; e < options.epochs.warmup; e++) await runEpoch(++epoch, 'stage1-warmup', 0);
  // Pseudo-labels: keep only where the model's branch head and the reasoner agree.
  const heldBack = train.filter((i) => i.trainLabel < 0);
  if (heldBack.length) {
    const { branch } = predictNet(net, heldBack.map((i) => ({ face: null, voice: null, text: null, [i.modality]: i.std })));
    heldBack.forEach((item, k) => {
      const model = argmax(branch[item.modality][k]);
      if (model === reasonerLabelOf(item)) {
        item.trainLabel = model;
        pseudoLabels.kept++;
        if (item.label >= 0) pseudoLabels.checkable++;
        if (model === item.label) pseudoLabels.correct++;
      }
    });
    log(`  pseudo-labels: kept ${pseudoLabels.kept}/${pseudoLabels.heldBack} (model ∧ reasoner agree); ${pseudoLabels.correct} of the ${pseudoLabels.checkable} kept ones with a known label are correct`);
  }
  for (let e = 0; e < options.epochs.semi; e++) await runEpoch(++epoch, 'stage1-semi', 0);
  const restore = (weights: Map<string, Float32Array>) => {
    const tensors = Object.fromEntries([...weights].map(([k, v]) => [k, tf.tensor(v, net.v(k).shape)]));
    net.setWeights(tensors);
    tf.dispose(Object.values(tensors));
  };
  if (options.epochs.prior > 0 && options.priorComposites?.length) {
    // Stage 2 starts from the best stage-1 weights and the shipped model is a stage-2 snapshot, so the prior
    // trust gate is always trained.
    restore(best.weights);
    best = { f1: -1, epoch: 0, weights: best.weights };
    optimizer.dispose();
    optimizer = tf.train.adam(options.learningRate / 3);
    // Stochastic weight averaging (Izmailov et al., UAI 2018) over the stage-2 epochs: the average of the epoch-end
    // weights is a candidate next to the best single epoch; one seed's branch scores swing by ±0.02 on these small dev
    // sets, and the average is steadier. It is kept only if its dev selection score is higher.
    const average = options.averageStage2 !== false && options.epochs.prior > 1;
    const sum = new Map([...net.variables].map(([k, v]) => [k, new Float32Array(average ? v.size : 0)]));
    for (let e = 0; e < options.epochs.prior; e++) {
      await runEpoch(++epoch, 'stage2-prior', 0.5);
      if (average) for (const [k, w] of snapshot(net)) sum.get(k)!.forEach((_, i, acc) => (acc[i] += w[i]));
    }
    if (average) {
      for (const acc of sum.values()) acc.forEach((v, i) => (acc[i] = v / options.epochs.prior));
      restore(sum);
      const f1 = macroF1(net, devTriples);
      history.push({ epoch: epoch + 1, stage: 'stage2-weight-average', loss: Number.NaN, devMacroF1: f1 });
      log(`  stage-2 weight average: dev selection score ${f1.toFixed(4)} (best epoch ${best.f1.toFixed(4)})`);
      if (f1 > best.f1) best = { f1, epoch: epoch + 1, weights: sum };
    }
  }
  optimizer.dispose();
  restore(best.weights);
  return { net, history, pseudoLabels, bestEpoch: best.epoch };
}
