/**
 * Page for e2e/bdcl-backends.spec.ts: one BDCL fine-tuning step's loss and global gradient norm on webgpu, wasm
 * and cpu, from identical weights (created once on cpu and copied), exposed as `window.bdclBackendCheck`.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/fusion/backend';
import { FusionNet } from '../../src/fusion/model';
import { DEFAULT_LOSS_CONFIG, lossAndGradNorm } from '../../src/training/train-step';
import { TOY_DIMS, toyBatch } from './toy-batch';

interface BackendResult {
  requested: string;
  backend: string;
  loss: number;
  gradNorm: number;
  numTensorsLeaked: number;
  error?: string;
}

async function run(): Promise<BackendResult[]> {
  await selectBackend('cpu');
  const config = { inputDims: TOY_DIMS, d: 8, hidden: 16, dropout: 0, seed: 11 };
  const reference = new FusionNet(config);
  const weights = new Map<string, { values: Float32Array; shape: number[] }>();
  for (const [name, v] of reference.variables) weights.set(name, { values: (await v.data()) as Float32Array, shape: v.shape });
  reference.dispose();
  const batch = toyBatch(7);
  const results: BackendResult[] = [];
  for (const requested of ['webgpu', 'wasm', 'cpu'] as const) {
    try {
      const choice = await selectBackend(requested);
      const net = new FusionNet(config);
      const tensors = Object.fromEntries([...weights].map(([k, w]) => [k, tf.tensor(w.values, w.shape)]));
      net.setWeights(tensors);
      tf.dispose(Object.values(tensors));
      const before = tf.memory().numTensors;
      const { loss, gradNorm } = await lossAndGradNorm(net, batch, DEFAULT_LOSS_CONFIG);
      const leaked = tf.memory().numTensors - before;
      net.dispose();
      results.push({ requested, backend: choice.backend, loss, gradNorm, numTensorsLeaked: leaked });
    } catch (err) {
      results.push({ requested, backend: 'none', loss: Number.NaN, gradNorm: Number.NaN, numTensorsLeaked: 0, error: String(err) });
    }
  }
  return results;
}

const done = run();
(window as unknown as { bdclBackendCheck: Promise<BackendResult[]> }).bdclBackendCheck = done;
done.then(
  (r) => (document.getElementById('out')!.textContent = JSON.stringify(r, null, 2)),
  (e) => (document.getElementById('out')!.textContent = `error: ${String(e)}`),
);
