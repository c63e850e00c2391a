/**
 * Runtime capability flags, detected once (after transformers.js `env`). Safe to import from any thread.
 */
const g = globalThis as typeof globalThis & { WorkerGlobalScope?: unknown; AudioWorkletNode?: unknown };

export const env = Object.freeze({
  /** navigator.gpu exists (an adapter may still be refused: see selectBackend). */
  webgpu: typeof navigator !== 'undefined' && 'gpu' in navigator && !!(navigator as Navigator & { gpu?: unknown }).gpu,
  /** Running inside a dedicated worker. */
  inWorker: typeof g.WorkerGlobalScope !== 'undefined' && typeof document === 'undefined',
  /** Workers can be created from this context. */
  worker: typeof Worker !== 'undefined',
  offscreenCanvas: typeof OffscreenCanvas !== 'undefined',
  audioWorklet: typeof g.AudioWorkletNode !== 'undefined',
  crossOriginIsolated: typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated,
  webAssembly: typeof WebAssembly !== 'undefined',
  indexedDB: typeof indexedDB !== 'undefined',
});

export type TfBackendName = 'webgpu' | 'wasm' | 'cpu';
/** Preferred order: WebGPU, then wasm (SIMD), then plain JS. */
export const BACKEND_ORDER: readonly TfBackendName[] = ['webgpu', 'wasm', 'cpu'];

/** A backend name from an attribute or query value; anything else is undefined (use the default order). */
export function parseBackend(value: string | null | undefined): TfBackendName | undefined {
  return BACKEND_ORDER.includes(value as TfBackendName) ? (value as TfBackendName) : undefined;
}

/** The page's `?backend=` (tests and benchmarks pin a backend with it). */
export function requestedBackend(search = typeof location !== 'undefined' ? location.search : ''): TfBackendName | undefined {
  return parseBackend(new URLSearchParams(search).get('backend'));
}
