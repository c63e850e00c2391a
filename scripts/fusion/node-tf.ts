/**
 * TensorFlow.js backends in Node for training, eval and tests: wasm (the same kernels as the browser's wasm
 * backend) or cpu. tfjs-node is not available here (its binary cannot be downloaded).
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);
setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);

/** Switches to `name` ('wasm' | 'cpu') and waits until it is ready. */
export async function useNodeBackend(name: 'wasm' | 'cpu'): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`tfjs backend ${name} did not start in Node`);
}
