/**
 * One BDCL fine-tune step of a custom 3-label head on fixed synthetic clips: loss and global gradient norm, read
 * back asynchronously. Run on each backend (webgpu, wasm, cpu) by the teach-backends e2e to show they agree.
 */
import * as tf from '@tensorflow/tfjs';
import { fusionModelFromArtifacts } from '../fusion/load';
import { bdclObjective, DEFAULT_LOSS_CONFIG } from '../training/train-step';
import { untrainedBase } from './base';
import { syntheticClips } from './synthetic';
import { fineTuneNet, prepareSamples } from './trainer';

export interface StepCheck {
  backend: string;
  loss: number;
  gradNorm: number;
  /** Measured by the caller around the whole check (src/finetune/worker-api.ts stepCheck). */
  numTensorsLeaked: number;
}

export async function fineTuneStepCheck(): Promise<Omit<StepCheck, 'numTensorsLeaked'>> {
  const base = await untrainedBase();
  const model = fusionModelFromArtifacts(base.metadata, base.weights);
  const net = fineTuneNet(model, ['engaged', 'confused', 'bored'], 11);
  try {
    const clips = syntheticClips(4, 3, 21);
    const samples = prepareSamples(clips, model);
    const labels = Int32Array.from(clips.map((c) => c.label));
    const config = { ...DEFAULT_LOSS_CONFIG, lambdaAffect: 0 };
    const [loss, sq] = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => bdclObjective(net, { samples, labels }, config, false).total, net.trainable());
      const norms = Object.values(grads).map((g) => tf.sum(tf.square(g)));
      // Pairwise sums (WebGPU binds at most 8 buffers per kernel, so no wide addN).
      let total = norms[0];
      for (const n of norms.slice(1)) total = tf.add(total, n);
      return [value, total];
    });
    const [l, s] = await Promise.all([loss.data(), sq.data()]);
    loss.dispose();
    sq.dispose();
    return { backend: tf.getBackend(), loss: l[0], gradNorm: Math.sqrt(s[0]) };
  } finally {
    net.dispose();
    model.dispose();
  }
}
