/**
 * The local reasoner (src/priors/reasoner.ts) evaluated as tensors, so the live predictor really runs on the
 * selected TensorFlow.js backend (WebGPU first). Same weights, same maths; reasoner-tensor.test.ts checks equality.
 */
import * as tf from '@tensorflow/tfjs';
import { AU_NAMES } from '../face/au';
import { REASONER_WEIGHTS, VOICE_INPUTS, contributionsFor, argmax, type ReasonerInput, type ReasonerOutput } from '../priors/reasoner';
import { LABELS, type Modality } from '../shared/labels';

const K = LABELS.length;

/**
 * Scores a batch of encoded summaries; returns plain arrays (all tensors disposed). Reads back with async
 * `data()`: a synchronous `dataSync()` on the WebGPU backend breaks later buffer uploads in Chromium's SwiftShader.
 */
export async function scoreReasonerBatch(inputs: ReasonerInput[]): Promise<ReasonerOutput[]> {
  if (inputs.length === 0) return [];
  const n = inputs.length;
  const { evidence, probs } = tf.tidy(() => {
    const pack = (key: 'face' | 'voice' | 'text', width: number) => {
      const data = new Float32Array(n * width);
      const mask = new Float32Array(n);
      inputs.forEach((input, i) => {
        const v = input[key];
        if (v) {
          data.set(v.subarray(0, width), i * width);
          mask[i] = 1;
        }
      });
      return { x: tf.tensor2d(data, [n, width]), mask: tf.tensor2d(mask, [n, 1]) };
    };
    const face = pack('face', AU_NAMES.length);
    const voice = pack('voice', VOICE_INPUTS.length);
    const text = pack('text', K);
    const linear = (x: tf.Tensor2D, m: { weights: readonly (readonly number[])[]; bias: readonly number[] }) =>
      tf.add(tf.matMul(x, tf.tensor2d(m.weights.map((r) => [...r]))), tf.tensor1d([...m.bias]));
    const eFace = tf.mul(linear(face.x, REASONER_WEIGHTS.face), face.mask);
    const eVoice = tf.mul(linear(voice.x, REASONER_WEIGHTS.voice), voice.mask);
    const eText = tf.mul(tf.mul(tf.sub(text.x, 1 / K), REASONER_WEIGHTS.textGain), text.mask);
    const joint = tf.addN([
      tf.mul(eFace, REASONER_WEIGHTS.gain.face),
      tf.mul(eVoice, REASONER_WEIGHTS.gain.voice),
      tf.mul(eText, REASONER_WEIGHTS.gain.text),
    ]);
    const p = tf.softmax(tf.mul(joint, REASONER_WEIGHTS.sharpness));
    return { evidence: tf.stack([eFace, eVoice, eText], 1), probs: p };
  });
  let probData: Float32Array;
  let evData: Float32Array;
  try {
    [probData, evData] = (await Promise.all([probs.data(), evidence.data()])) as [Float32Array, Float32Array];
  } finally {
    probs.dispose();
    evidence.dispose();
  }
  return inputs.map((input, i) => {
    const p = probData.slice(i * K, (i + 1) * K);
    const at = (m: number) => Array.from(evData.subarray((i * 3 + m) * K, (i * 3 + m + 1) * K));
    const ev: Record<Modality, number[] | null> = {
      face: input.face ? at(0) : null,
      voice: input.voice ? at(1) : null,
      text: input.text ? at(2) : null,
    };
    return { probs: p, evidence: ev, contributions: contributionsFor(ev, argmax(p)) };
  });
}
