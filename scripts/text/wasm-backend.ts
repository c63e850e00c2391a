/** Selects the tfjs wasm backend in Node (scripts/fusion/node-tf.ts); falls back to cpu with the reason. */
import { useNodeBackend } from '../fusion/node-tf';

export async function useWasmBackend(): Promise<'wasm' | 'cpu'> {
  try {
    await useNodeBackend('wasm');
    return 'wasm';
  } catch (error) {
    console.warn(`wasm backend unavailable (${(error as Error).message}); using cpu`);
  }
  await useNodeBackend('cpu');
  return 'cpu';
}
