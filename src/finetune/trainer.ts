/**
 * Fine-tuning the fusion network on the user's own labelled clips with the BDCL objective (trainStep,
 * arXiv:2508.03722 §3.4). Runs in the fine-tune worker (and in Node tests): it trains a COPY of the base model, so
 * the live model is never touched. A custom label set gets a new head (branch heads, joint head, class prototypes,
 * prior mapping) while the encoders, gate and affect head keep the base weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusionSample } from '../fusion/batch';
import { priorConfidence } from '../fusion/engine';
import { fusionInputs } from '../fusion/batch';
import { PersonCalibration } from '../fusion/calibration';
import { FusionModel } from '../fusion/fusion-model';
import { fusionModelFromArtifacts, serializeFusionModel } from '../fusion/load';
import { CURRENT_SCHEMA, type FusionMetadata } from '../fusion/metadata';
import { DEFAULT_FUSION_CONFIG, FusionNet } from '../fusion/model';
import { reason } from '../priors/reasoner';
import { LABELS, MODALITIES } from '../shared/labels';
import { bdclObjective, DEFAULT_LOSS_CONFIG, type LossConfig, type LossTerms, type TrainingBatch } from '../training/train-step';
import { classMetrics, pca2, stratifiedSplit } from './metrics';
import type { Checkpoint, ClassMetrics, EmbeddingSnapshot, EpochReport, FineTuneRequest, FineTuneResult, TeachSample } from './types';
import { seededRandom as rng } from '../training/seeded-random';

/** Weights that belong to the class head: replaced for a custom label set. */
export function isHeadWeight(name: string): boolean {
  return /\/head\/|\/prototypes$|^prior\//.test(name);
}

export function isBaseLabelSet(labels: readonly string[]): boolean {
  return labels.length === LABELS.length && labels.every((l, i) => l === LABELS[i]);
}

/** The base network (validated) copied into a fresh net for `labels`: same encoders, new head when custom. */
export function fineTuneNet(base: FusionModel, labels: readonly string[], seed: number): FusionNet {
  const custom = !isBaseLabelSet(labels);
  const net = new FusionNet({ ...base.net.config, dropout: DEFAULT_FUSION_CONFIG.dropout, seed, numClasses: labels.length });
  try {
    for (const { name, tensor } of base.net.namedWeights()) {
      if (custom && isHeadWeight(name)) continue; // the new head keeps its fresh initialisation
      net.v(name).assign(tensor);
    }
  } catch (err) {
    net.dispose();
    throw err;
  }
  return net;
}

/** Calibrates each person's clips with that person's own statistics (file mode), standardises, adds the prior. */
export function prepareSamples(samples: readonly TeachSample[], model: FusionModel): FusionSample[] {
  const people = new Map<string, PersonCalibration>();
  for (const s of samples) {
    let c = people.get(s.person);
    if (!c) people.set(s.person, (c = new PersonCalibration(model.metadata.calibration)));
    c.update('face', s.face);
    c.update('voice', s.voice);
  }
  return samples.map((s) => {
    const c = people.get(s.person)!;
    const prior = reason(s.summary);
    return {
      face: model.standardise('face', c.apply('face', s.face)),
      voice: model.standardise('voice', c.apply('voice', s.voice)),
      text: model.standardise('text', s.text),
      prior: { scores: prior.scores, contributions: prior.contributions, confidence: priorConfidence(prior) },
    };
  });
}

/** Predicted class and fused embedding (masked mean of the present branch embeddings) of each sample. */
export async function readNet(net: FusionNet, samples: readonly FusionSample[]): Promise<{ predicted: number[]; embeddings: Float32Array[] }> {
  if (samples.length === 0) return { predicted: [], embeddings: [] };
  const [classes, pooled] = tf.tidy(() => {
    const inputs = fusionInputs(samples, net.config.inputDims);
    const out = net.apply(inputs, false);
    const cols = tf.split(inputs.mask, MODALITIES.length, 1);
    const sum = tf.addN(MODALITIES.map((m, i) => tf.mul(out.embeddings[m], cols[i])));
    return [tf.argMax(out.logits, 1), tf.div(sum, tf.maximum(tf.sum(inputs.mask, 1, true), 1))];
  });
  // Asynchronous read-back (dataSync breaks WebGPU uploads; see eslint.config.js).
  const [predicted, fused] = await Promise.all([classes.data(), pooled.data() as Promise<Float32Array>]).finally(() => {
    classes.dispose();
    pooled.dispose();
  });
  const d = fused.length / samples.length;
  return {
    predicted: Array.from(predicted),
    embeddings: samples.map((_, i) => fused.slice(i * d, (i + 1) * d)),
  };
}

async function snapshot(net: FusionNet, samples: readonly FusionSample[], labels: number[], validation: boolean[], k: number): Promise<EmbeddingSnapshot> {
  const { predicted, embeddings } = await readNet(net, samples);
  const idx = labels.map((_, i) => i).filter((i) => validation[i]);
  return {
    points: pca2(embeddings),
    labels,
    validation,
    metrics: classMetrics(idx.map((i) => labels[i]), idx.map((i) => predicted[i]), k),
  };
}

async function validationMetrics(net: FusionNet, samples: readonly FusionSample[], labels: number[], validation: boolean[], k: number): Promise<ClassMetrics> {
  const idx = labels.map((_, i) => i).filter((i) => validation[i]);
  const { predicted } = await readNet(net, idx.map((i) => samples[i]));
  return classMetrics(idx.map((i) => labels[i]), predicted, k);
}

const TERM_KEYS = ['total', 'ce', 'aux', 'inter', 'intra', 'affect'] as const;

/**
 * trainStep (src/training/train-step.ts) with one asynchronous read-back of all loss terms instead of dataSync,
 * which the WebGPU backend cannot afford. Same objective (bdclObjective), same optimiser call.
 */
export async function trainStepAsync(net: FusionNet, optimizer: tf.Optimizer, batch: TrainingBatch, config: LossConfig): Promise<LossTerms> {
  let terms: tf.Tensor | null = null;
  const cost = optimizer.minimize(
    () => {
      const objective = bdclObjective(net, batch, config, true);
      terms = tf.keep(tf.stack(TERM_KEYS.map((k) => objective[k])));
      return objective.total;
    },
    false,
    net.trainable(),
  );
  cost?.dispose();
  const t = terms as tf.Tensor | null;
  if (!t) throw new Error('fine-tune step produced no loss');
  try {
    const values = await t.data();
    return Object.fromEntries(TERM_KEYS.map((k, i) => [k, values[i]])) as LossTerms;
  } finally {
    t.dispose();
  }
}

export interface FineTuneHooks {
  /** After every epoch, with a checkpoint the caller may keep to resume from. */
  onEpoch?: (report: EpochReport, checkpoint: Checkpoint | null) => void | Promise<void>;
  /** Checkpoint every N epochs (default 1). */
  checkpointEvery?: number;
  backend?: string;
}

export function validateRequest(req: FineTuneRequest): void {
  const k = req.labels.length;
  if (k < 2) throw new Error('Fine-tuning needs at least two labels.');
  if (new Set(req.labels.map((l) => l.trim().toLowerCase())).size !== k || req.labels.some((l) => !l.trim())) {
    throw new Error('Labels must be distinct, non-empty names.');
  }
  const counts = new Array<number>(k).fill(0);
  for (const s of req.samples) {
    if (!Number.isInteger(s.label) || s.label < 0 || s.label >= k) throw new Error(`Clip ${s.source} has no valid label.`);
    if (!s.face && !s.voice && !s.text) throw new Error(`Clip ${s.source} has no face, voice or text.`);
    counts[s.label]++;
  }
  const few = req.labels.filter((_, c) => counts[c] < 2);
  if (few.length) throw new Error(`Each label needs at least 2 clips (one is held out): ${few.join(', ')}.`);
}

/**
 * Trains a copy of the base model on the user's clips and returns the new model's artifacts with metrics.
 * @example const result = await fineTune({ base, labels: ['engaged', 'confused', 'bored'], samples, settings });
 */
export async function fineTune(req: FineTuneRequest, hooks: FineTuneHooks = {}): Promise<FineTuneResult> {
  validateRequest(req);
  const t0 = performance.now();
  const tensorsBefore = tf.memory().numTensors;
  const k = req.labels.length;
  const custom = !isBaseLabelSet(req.labels);
  const base = fusionModelFromArtifacts(req.base.metadata, req.base.weights, { ...CURRENT_SCHEMA, customLabels: true });
  const net = fineTuneNet(base, req.labels, req.settings.seed);
  const optimizer = tf.train.adam(req.settings.learningRate);
  try {
    const prepared = prepareSamples(req.samples, base);
    base.dispose();
    const labels = req.samples.map((s) => s.label);
    const validation = stratifiedSplit(labels, req.settings.validationFraction);
    const trainIdx = labels.map((_, i) => i).filter((i) => !validation[i]);
    const lossConfig: LossConfig = { ...DEFAULT_LOSS_CONFIG, lambdaAffect: custom ? 0 : DEFAULT_LOSS_CONFIG.lambdaAffect };

    let history: EpochReport[] = [];
    let before: EmbeddingSnapshot;
    let startEpoch = 0;
    if (req.resume) {
      const named = tf.io.decodeWeights(req.resume.weights, req.resume.specs);
      try {
        net.setWeights(named);
      } finally {
        for (const t of Object.values(named)) t.dispose();
      }
      history = [...req.resume.history];
      before = req.resume.before;
      startEpoch = req.resume.epoch;
    } else {
      before = await snapshot(net, prepared, labels, validation, k);
    }

    const random = rng(req.settings.seed + startEpoch * 7919);
    const every = Math.max(1, hooks.checkpointEvery ?? 1);
    for (let epoch = startEpoch; epoch < req.settings.epochs; epoch++) {
      const e0 = performance.now();
      const order = [...trainIdx].sort(() => random() - 0.5);
      const sums: LossTerms = { total: 0, ce: 0, aux: 0, inter: 0, intra: 0, affect: 0 };
      let batches = 0;
      for (let b = 0; b < order.length; b += req.settings.batchSize) {
        const idx = order.slice(b, b + req.settings.batchSize);
        const terms = await trainStepAsync(net, optimizer, { samples: idx.map((i) => prepared[i]), labels: Int32Array.from(idx.map((i) => labels[i])), seed: epoch * 1000 + b }, lossConfig);
        for (const key of Object.keys(sums) as (keyof LossTerms)[]) sums[key] += terms[key];
        batches++;
      }
      for (const key of Object.keys(sums) as (keyof LossTerms)[]) sums[key] /= Math.max(1, batches);
      const report: EpochReport = { epoch: epoch + 1, loss: sums, val: await validationMetrics(net, prepared, labels, validation, k), ms: performance.now() - e0 };
      history.push(report);
      let checkpoint: Checkpoint | null = null;
      if ((epoch + 1) % every === 0 || epoch + 1 === req.settings.epochs) {
        const { data, specs } = await tf.io.encodeWeights(net.namedWeights());
        checkpoint = { epoch: epoch + 1, weights: data, specs, history: [...history], before };
      }
      await hooks.onEpoch?.(report, checkpoint);
    }

    const after = await snapshot(net, prepared, labels, validation, k);
    const baseMeta = req.base.metadata;
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const last = history[history.length - 1];
    const metadata: Omit<FusionMetadata, 'weights'> = {
      ...baseMeta,
      version: `${baseMeta.version.split('+ft')[0]}+ft-${stamp}`,
      labels: [...req.labels],
      labelSet: custom ? 'custom' : 'base',
      metrics: {
        validationAccuracy: after.metrics.accuracy,
        validationMacroF1: after.metrics.macroF1,
        validationF1: after.metrics.f1,
        beforeValidationAccuracy: before.metrics.accuracy,
        validationClips: after.metrics.n,
        trainingClips: trainIdx.length,
      },
      training: {
        from: baseMeta.version,
        objective: 'BDCL fine-tune',
        epochs: req.settings.epochs,
        learningRate: req.settings.learningRate,
        finalLoss: last?.loss,
        backend: hooks.backend ?? tf.getBackend(),
        headReplaced: custom,
      },
    };
    const model = await serializeFusionModel(net, metadata);
    return {
      model,
      history,
      before,
      after,
      backend: hooks.backend ?? tf.getBackend(),
      ms: performance.now() - t0,
      numTensors: { before: tensorsBefore, after: -1 },
    };
  } finally {
    optimizer.dispose();
    net.dispose();
    base.dispose();
  }
}
