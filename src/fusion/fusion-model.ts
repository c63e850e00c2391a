/**
 * Public inference API of the fusion model, used by the worker and by the eval CLI.
 * Inputs are per-person calibrated feature vectors (PersonCalibration.apply); the model then applies the
 * training-set standardisation stored in metadata.json and runs FusionNet inside tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import { MODALITIES, type Modality } from '../shared/labels';
import { fusionInputs, type FusionSample } from './batch';
import type { FusionMetadata } from './metadata';
import { FusionNet } from './model';

export interface FusionPrediction {
  /** Class probabilities in LABELS order. */
  probs: Float32Array;
  valence: number;
  arousal: number;
  /** Gate weight of each branch and of the joint head (absent branches 0; sums to 1). */
  gates: Record<Modality | 'joint', number>;
  /** Probabilities of each present branch's own head (null when absent). */
  branchProbs: Record<Modality, Float32Array | null>;
  /** How much the prior was trusted (0 without a prior). */
  priorTrust: number;
}

/** Per-branch standardisation applied before the network: (x − mean) / std. */
export interface InputNorm {
  mean: number[];
  std: number[];
}

export class FusionModel {
  readonly net: FusionNet;
  readonly metadata: FusionMetadata;

  constructor(net: FusionNet, metadata: FusionMetadata) {
    this.net = net;
    this.metadata = metadata;
  }

  get dims(): Record<Modality, number> {
    return this.net.config.inputDims;
  }

  /** Standardises one branch vector with the metadata's input norm (a new array; null stays null). */
  standardise(m: Modality, x: Float32Array | null): Float32Array | null {
    if (!x) return null;
    const norm = this.metadata.inputNorm[m];
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = (x[i] - (norm.mean[i] ?? 0)) / (norm.std[i] || 1);
    return out;
  }

  /**
   * Predicts a batch of segments.
   * @example (await model.predict([{face: faceVec, voice: null, text: null}]))[0].gates.voice // 0: voice absent
   */
  async predict(batch: readonly FusionSample[]): Promise<FusionPrediction[]> {
    if (batch.length === 0) return [];
    const samples = batch.map((s) => ({
      face: this.standardise('face', s.face),
      voice: this.standardise('voice', s.voice),
      text: this.standardise('text', s.text),
      prior: s.prior ?? null,
    }));
    const tensors = tf.tidy(() => {
      const out = this.net.apply(fusionInputs(samples, this.dims), false);
      return [tf.softmax(out.logits), out.gates, out.priorTrust, out.affect, ...MODALITIES.map((m) => tf.softmax(out.branchLogits[m]))];
    });
    // Asynchronous read-back: dataSync stalls (and on SwiftShader breaks) the WebGPU backend.
    const read = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>)).finally(() => tf.dispose(tensors));
    const [probs, gates, trust, affect, ...branch] = read;
    const arrays = { probs, gates, trust, affect, branch };
    const k = arrays.probs.length / batch.length;
    return samples.map((s, i) => ({
      probs: arrays.probs.slice(i * k, (i + 1) * k),
      valence: arrays.affect[i * 2],
      arousal: arrays.affect[i * 2 + 1],
      gates: {
        face: arrays.gates[i * 4],
        voice: arrays.gates[i * 4 + 1],
        text: arrays.gates[i * 4 + 2],
        joint: arrays.gates[i * 4 + 3],
      },
      branchProbs: Object.fromEntries(
        MODALITIES.map((m, j) => [m, s[m] ? arrays.branch[j].slice(i * k, (i + 1) * k) : null]),
      ) as Record<Modality, Float32Array | null>,
      priorTrust: arrays.trust[i],
    }));
  }

  dispose(): void {
    this.net.dispose();
  }
}
