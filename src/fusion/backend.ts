/**
 * TensorFlow.js backend selection in the order webgpu → wasm → cpu (after transformers.js `devices.js`).
 * tfjs would silently pick webgl when webgpu fails, so we register and try each backend ourselves.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type TfBackendName } from '../env';

export interface BackendChoice {
  backend: TfBackendName;
  /** Why preferred backends were skipped; empty when the first choice ran. */
  fallbackReasons: string[];
  /** GPU adapter description when WebGPU runs (e.g. SwiftShader). */
  adapter?: string;
}

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

async function adapterName(): Promise<string | undefined> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter();
  if (!adapter) return undefined;
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  return info ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown' : 'unknown';
}

/** Tries each backend in order (starting from `preferred` if given) and returns what actually runs. */
export async function selectBackend(preferred?: TfBackendName): Promise<BackendChoice> {
  const order = preferred ? [preferred, ...BACKEND_ORDER.filter((b) => b !== preferred)] : [...BACKEND_ORDER];
  const fallbackReasons: string[] = [];
  for (const name of order) {
    try {
      if (name === 'webgpu') {
        const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
        if (!gpu) throw new Error('navigator.gpu is missing');
        if (!(await gpu.requestAdapter())) throw new Error('no WebGPU adapter (is --enable-unsafe-webgpu set?)');
      }
      const ok = await tf.setBackend(name);
      if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
      await tf.ready();
      // A tiny op proves the backend really computes.
      const sum = tf.add(tf.scalar(1), tf.scalar(2));
      const probe = (await sum.data())[0];
      sum.dispose();
      if (probe !== 3) throw new Error(`${name} computed ${probe} for 1+2`);
      return { backend: name, fallbackReasons, adapter: name === 'webgpu' ? await adapterName() : undefined };
    } catch (err) {
      fallbackReasons.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${fallbackReasons.join('; ')}`);
}
