/**
 * What the inference worker exposes (workers/inference.worker.ts is only `expose(inferenceApi)`).
 * Lazy singleton: the backend is chosen on `init`, before any model runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { TfBackendName } from '../env';
import type { ReasonerInput, ReasonerOutput } from '../priors/reasoner';
import type { Progress } from '../shared/types';
import { selectBackend, type BackendChoice } from './backend';
import { scoreReasonerBatch } from './reasoner-tensor';

export interface InferenceInit {
  /** Start the search at this backend (default: webgpu → wasm → cpu). */
  backend?: TfBackendName;
}

export interface InferenceStatus extends BackendChoice {
  tfVersion: string;
  initMs: number;
}

export interface TimedReasonerOutput {
  outputs: ReasonerOutput[];
  /** Wall time inside the worker, including reading results back from the device. */
  ms: number;
}

let status: InferenceStatus | null = null;
let starting: Promise<InferenceStatus> | null = null;

async function init(options: InferenceInit = {}, onProgress?: (p: Progress) => void): Promise<InferenceStatus> {
  if (status && (!options.backend || status.backend === options.backend)) return status;
  if (starting) return starting;
  starting = (async () => {
    const t0 = performance.now();
    onProgress?.({ stage: 'backend', fraction: 0, message: 'choosing TensorFlow.js backend' });
    const choice = await selectBackend(options.backend);
    // Warm-up compiles the reasoner's kernels so the first live prediction is not slow.
    scoreReasonerBatch([{ face: new Float32Array(17), voice: null, text: null }]);
    onProgress?.({ stage: 'backend', fraction: 1, message: `running on ${choice.backend}` });
    status = { ...choice, tfVersion: tf.version.tfjs, initMs: performance.now() - t0 };
    return status;
  })().finally(() => {
    starting = null;
  });
  return starting;
}

function requireInit(): InferenceStatus {
  if (!status) throw new Error('Inference worker used before init()');
  return status;
}

export const inferenceApi = {
  init,
  /** The local FACS/prosody reasoner as tensors on the chosen backend. */
  async predictReasoner(inputs: ReasonerInput[]): Promise<TimedReasonerOutput> {
    requireInit();
    const t0 = performance.now();
    const outputs = scoreReasonerBatch(inputs);
    return { outputs, ms: performance.now() - t0 };
  },
  /** tf.memory() of the worker, for the tensor-hygiene checks. */
  memory(): { numTensors: number; numBytes: number; backend: string } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() };
  },
  status(): InferenceStatus | null {
    return status;
  },
};

export type InferenceApi = typeof inferenceApi;
