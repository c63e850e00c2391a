/**
 * The fusion network: per-modality encoders into a shared d-dim space, an auxiliary classifier per branch, a joint
 * head, and a gate that mixes the branch heads and the joint head (the seed's lightweight gated fusion,
 * arXiv:2508.03722 §3.3). Missing modalities are first-class: the gate is a softmax over PRESENT branches only
 * (absent branches get −1e9 before the softmax) and the joint head sees a masked mean of the present embeddings, so
 * an absent branch's placeholder input never reaches the output. An optional reasoning prior (6 class scores,
 * 3 modality contributions, 1 confidence) enters at the fusion stage through a learned trust gate.
 *
 * Written with tfjs core ops only (no Node imports): the browser worker and the Node training/eval scripts run this
 * same definition.
 */
import * as tf from '@tensorflow/tfjs';
import { LABELS, MODALITIES, type Modality } from '../shared/labels';

export const NUM_CLASSES = LABELS.length;
/** Prior vector layout: LABELS scores, MODALITIES contributions, confidence. */
export const PRIOR_SIZE = NUM_CLASSES + MODALITIES.length + 1;

export interface FusionConfig {
  /** Input width per branch (feature vector length after calibration). */
  inputDims: Record<Modality, number>;
  /** Shared embedding width, default 32. */
  d: number;
  /** Encoder hidden width, default 64. */
  hidden: number;
  /** Dropout on encoder hidden units in training, default 0.2. */
  dropout: number;
  /** Initialiser seed. */
  seed: number;
  /** Number of output classes (default LABELS.length; a fine-tuned custom label set has its own). */
  numClasses?: number;
}

export const DEFAULT_FUSION_CONFIG: Omit<FusionConfig, 'inputDims'> = { d: 32, hidden: 64, dropout: 0.2, seed: 7 };

/** Tensors for one forward pass. Rows of an absent branch may hold anything finite (they are masked out). */
export interface FusionInputs {
  face: tf.Tensor2D;
  voice: tf.Tensor2D;
  text: tf.Tensor2D;
  /** [B, 3] presence in MODALITIES order, 1 = present. */
  mask: tf.Tensor2D;
  /** [B, PRIOR_SIZE]. */
  prior: tf.Tensor2D;
  /** [B, 1], 1 = a prior is given. */
  priorMask: tf.Tensor2D;
}

export interface FusionOutputs {
  /** Final class logits [B, 6] (fused heads + trusted prior). */
  logits: tf.Tensor2D;
  /** Per-branch auxiliary logits [B, 6]. */
  branchLogits: Record<Modality, tf.Tensor2D>;
  /** Per-branch embeddings [B, d] (not normalised). */
  embeddings: Record<Modality, tf.Tensor2D>;
  /** Gate weights [B, 4]: face, voice, text, joint; 0 for absent branches. */
  gates: tf.Tensor2D;
  /** Prior trust [B, 1] (0 without a prior). */
  priorTrust: tf.Tensor2D;
  /** Valence, arousal in −1..1 [B, 2]. */
  affect: tf.Tensor2D;
}

const MASKED = -1e9;
/** tf.variable names are global: each FusionNet gets its own prefix. */
let nextInstanceId = 0;

/** All trainable parameters, by name; names are stable and are the weight-file keys. */
export class FusionNet {
  readonly config: FusionConfig;
  readonly variables = new Map<string, tf.Variable>();

  constructor(config: FusionConfig) {
    this.config = config;
    const { d, hidden } = config;
    const numClasses = config.numClasses ?? NUM_CLASSES;
    let seed = config.seed;
    const instanceId = nextInstanceId++;
    const glorot = (shape: [number, number]) => tf.initializers.glorotUniform({ seed: seed++ }).apply(shape);
    const add = (name: string, init: tf.Tensor) => {
      this.variables.set(name, tf.variable(init, true, `fusion${instanceId}/${name}`));
      init.dispose();
    };
    const joint = d + MODALITIES.length;
    for (const m of MODALITIES) {
      add(`${m}/enc1/kernel`, glorot([config.inputDims[m], hidden]));
      add(`${m}/enc1/bias`, tf.zeros([hidden]));
      add(`${m}/enc2/kernel`, glorot([hidden, d]));
      add(`${m}/enc2/bias`, tf.zeros([d]));
      add(`${m}/head/kernel`, glorot([d, numClasses]));
      add(`${m}/head/bias`, tf.zeros([numClasses]));
      // BCL class prototypes in the embedding space (learnable; Zhu et al. CVPR 2022 §3.2).
      add(`${m}/prototypes`, glorot([numClasses, d]));
    }
    add('joint/hidden/kernel', glorot([joint, d]));
    add('joint/hidden/bias', tf.zeros([d]));
    add('joint/head/kernel', glorot([d, numClasses]));
    add('joint/head/bias', tf.zeros([numClasses]));
    add('gate/kernel', glorot([joint, MODALITIES.length + 1]));
    add('gate/bias', tf.zeros([MODALITIES.length + 1]));
    // Prior branch: starts as "add the prior's log scores" (identity on the class part) with low trust.
    add(
      'prior/kernel',
      numClasses === NUM_CLASSES
        ? tf.tidy(() => tf.concat([tf.eye(NUM_CLASSES), tf.zeros([PRIOR_SIZE - NUM_CLASSES, NUM_CLASSES])]))
        : tf.zeros([PRIOR_SIZE, numClasses]),
    );
    add('prior/bias', tf.zeros([numClasses]));
    add('priorGate/kernel', tf.zeros([joint + 1, 1]));
    add('priorGate/bias', tf.fill([1], -1));
    add('affect/kernel', glorot([d, 2]));
    add('affect/bias', tf.zeros([2]));
  }

  v(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`FusionNet: no variable ${name}`);
    return variable;
  }

  /** Trainable variables; `prototypes` included (learnable BCL prototypes). */
  trainable(): tf.Variable[] {
    return [...this.variables.values()];
  }

  /** Encoder of one branch → embedding [B, d]. */
  encode(m: Modality, x: tf.Tensor2D, training: boolean, dropoutSeed?: number): tf.Tensor2D {
    let h = tf.relu(tf.add(tf.matMul(x, this.v(`${m}/enc1/kernel`)), this.v(`${m}/enc1/bias`))) as tf.Tensor2D;
    if (training && this.config.dropout > 0) h = tf.dropout(h, this.config.dropout, undefined, dropoutSeed) as tf.Tensor2D;
    return tf.add(tf.matMul(h, this.v(`${m}/enc2/kernel`)), this.v(`${m}/enc2/bias`)) as tf.Tensor2D;
  }

  /** Forward pass; call inside tf.tidy (or a gradient function). */
  apply(inputs: FusionInputs, training = false, dropoutSeed = 0): FusionOutputs {
    const embeddings = {} as Record<Modality, tf.Tensor2D>;
    const branchLogits = {} as Record<Modality, tf.Tensor2D>;
    MODALITIES.forEach((m, i) => {
      embeddings[m] = this.encode(m, inputs[m], training, dropoutSeed + i);
      branchLogits[m] = tf.add(tf.matMul(embeddings[m], this.v(`${m}/head/kernel`)), this.v(`${m}/head/bias`)) as tf.Tensor2D;
    });
    const mask = inputs.mask;
    const maskCols = tf.split(mask, MODALITIES.length, 1);
    // Masked mean of the present embeddings: absent rows contribute nothing.
    let sum = tf.zerosLike(embeddings.face) as tf.Tensor2D;
    MODALITIES.forEach((m, i) => {
      sum = tf.add(sum, tf.mul(embeddings[m], maskCols[i])) as tf.Tensor2D;
    });
    const count = tf.maximum(tf.sum(mask, 1, true), 1);
    const pooled = tf.concat([tf.div(sum, count), mask], 1) as tf.Tensor2D;
    const jointHidden = tf.relu(tf.add(tf.matMul(pooled, this.v('joint/hidden/kernel')), this.v('joint/hidden/bias')));
    const jointLogits = tf.add(tf.matMul(jointHidden, this.v('joint/head/kernel')), this.v('joint/head/bias')) as tf.Tensor2D;

    const gateMask = tf.concat([mask, tf.onesLike(count)], 1);
    const gateLogits = tf.add(tf.matMul(pooled, this.v('gate/kernel')), this.v('gate/bias'));
    const gates = tf.softmax(tf.add(gateLogits, tf.mul(tf.sub(1, gateMask), MASKED))) as tf.Tensor2D;
    const gateCols = tf.split(gates, MODALITIES.length + 1, 1);
    let fused = tf.mul(jointLogits, gateCols[MODALITIES.length]) as tf.Tensor2D;
    MODALITIES.forEach((m, i) => {
      fused = tf.add(fused, tf.mul(branchLogits[m], gateCols[i])) as tf.Tensor2D;
    });

    // Prior: log scores (centred) + contributions + confidence → class logits, weighted by a learned trust.
    const [scores, rest] = tf.split(inputs.prior, [NUM_CLASSES, PRIOR_SIZE - NUM_CLASSES], 1);
    const logScores = tf.log(tf.add(scores, 1e-3));
    const priorFeatures = tf.concat([tf.sub(logScores, tf.mean(logScores, 1, true)), rest], 1);
    const priorLogits = tf.add(tf.matMul(priorFeatures, this.v('prior/kernel')), this.v('prior/bias'));
    const confidence = tf.slice(inputs.prior, [0, PRIOR_SIZE - 1], [-1, 1]);
    const trustInput = tf.concat([pooled, confidence], 1);
    const priorTrust = tf.mul(
      tf.sigmoid(tf.add(tf.matMul(trustInput, this.v('priorGate/kernel')), this.v('priorGate/bias'))),
      inputs.priorMask,
    ) as tf.Tensor2D;
    const logits = tf.add(fused, tf.mul(priorLogits, priorTrust)) as tf.Tensor2D;

    const affect = tf.tanh(tf.add(tf.matMul(jointHidden, this.v('affect/kernel')), this.v('affect/bias'))) as tf.Tensor2D;
    return { logits, branchLogits, embeddings, gates, priorTrust, affect };
  }

  /** Named weights for tf.io.encodeWeights. */
  namedWeights(): { name: string; tensor: tf.Tensor }[] {
    return [...this.variables.entries()].map(([name, tensor]) => ({ name, tensor }));
  }

  /** Assigns weights by name; every variable must be present with the same shape. */
  setWeights(weights: Record<string, tf.Tensor>): void {
    for (const [name, variable] of this.variables) {
      const w = weights[name];
      if (!w) throw new Error(`fusion weights: missing ${name}`);
      if (w.shape.join('x') !== variable.shape.join('x')) {
        throw new Error(`fusion weights: ${name} has shape [${w.shape}], expected [${variable.shape}]`);
      }
      variable.assign(w);
    }
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }
}
