/**
 * The app's shared inference engine: one inference worker behind the typed bridge, initialised lazily with the
 * backend order webgpu → wasm → cpu (or `?backend=` for tests and benchmarks). Shows the backend badge and a
 * visible notice when it fell back.
 */
import * as Comlink from 'comlink';
import { WorkerBridge } from '../bridge/worker-bridge';
import { requestedBackend } from '../env';
import type { InferenceApi, InferenceStatus } from '../fusion/worker-api';
import { clearNotice, showNotice } from './notices';

let bridge: WorkerBridge<InferenceApi> | null = null;
let lastStatus: InferenceStatus | null = null;
const statusListeners = new Set<(s: InferenceStatus) => void>();

function announce(status: InferenceStatus) {
  lastStatus = status;
  const badge = document.getElementById('backend-badge');
  if (badge) {
    badge.dataset.backend = status.backend;
    badge.textContent = `backend: ${status.backend}${status.adapter ? ` (${status.adapter})` : ''}`;
  }
  if (status.backend === 'webgpu') clearNotice('backend');
  if (status.backend !== 'webgpu' && status.fallbackReasons.length) {
    // e.g. "WebGPU device lost (destroyed) … running on wasm"; the session (calibration, model) is kept.
    showNotice('backend', `WebGPU is not available, so inference runs on ${status.backend}. (${status.fallbackReasons.join('; ')})`);
  }
  for (const l of statusListeners) l(status);
}

/** The inference bridge (worker starts on first call and restarts after a crash or abort). */
export function inference(): WorkerBridge<InferenceApi> {
  bridge ??= new WorkerBridge<InferenceApi>({
    create: () => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }),
    onStart: async (remote) => {
      // The worker reports later backend changes itself (e.g. WebGPU device loss → wasm).
      announce(await remote.init({ backend: requestedBackend() }, undefined, Comlink.proxy(announce)));
    },
    onCrash: (reason) => showNotice('worker', `The inference worker stopped (${reason}); it restarts on the next request.`, 'error'),
  });
  return bridge;
}

export function backendStatus(): InferenceStatus | null {
  return lastStatus;
}

export function onBackendStatus(listener: (s: InferenceStatus) => void): () => void {
  statusListeners.add(listener);
  if (lastStatus) listener(lastStatus);
  return () => statusListeners.delete(listener);
}
