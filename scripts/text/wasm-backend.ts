/** Selects the tfjs wasm backend in Node (wasm binaries from node_modules); falls back to cpu with the reason. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Tf } from '../../src/text/network';

export async function useWasmBackend(tf: Tf): Promise<string> {
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`);
  try {
    if (await tf.setBackend('wasm')) return 'wasm';
  } catch (error) {
    console.warn(`wasm backend unavailable (${(error as Error).message}); using cpu`);
  }
  await tf.setBackend('cpu');
  return 'cpu';
}
