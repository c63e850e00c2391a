/**
 * What the inference worker exposes (workers/inference.worker.ts is only `expose(inferenceApi)`).
 * Lazy singleton: the backend is chosen on `init`, before any model runs.
 */
import * as tf from '@tensorflow/tfjs';
import type { TfBackendName } from '../env';
import type { ReasonerInput, ReasonerOutput } from '../priors/reasoner';
import type { Progress } from '../shared/types';
import { selectBackend, type BackendChoice } from './backend';
import { SegmentEngine, type EngineStatus, type SegmentOptions, type SegmentRequest, type SegmentResult } from './engine';
import { fusionModelFromArtifacts, loadFusionModel } from './load';
import { CURRENT_SCHEMA } from './metadata';
import { scoreReasonerBatch } from './reasoner-tensor';

export interface InferenceInit {
  /** Start the search at this backend (default: webgpu → wasm → cpu). */
  backend?: TfBackendName;
  /** Base URL of the models folder (text/ and fusion/ inside). Default `${BASE_URL}models/`. */
  modelsBase?: string;
  /** Skip loading the text and fusion models (reasoner only). */
  reasonerOnly?: boolean;
}

export interface InferenceStatus extends BackendChoice {
  tfVersion: string;
  initMs: number;
  models: EngineStatus;
}

export interface TimedReasonerOutput {
  outputs: ReasonerOutput[];
  /** Wall time inside the worker, including reading results back from the device. */
  ms: number;
}

let status: InferenceStatus | null = null;
let engine: SegmentEngine | null = null;
let currentModelsBase = '';
let starting: Promise<InferenceStatus> | null = null;

async function init(options: InferenceInit = {}, onProgress?: (p: Progress) => void): Promise<InferenceStatus> {
  if (status && (!options.backend || status.backend === options.backend)) return status;
  if (starting) return starting;
  starting = (async () => {
    const t0 = performance.now();
    onProgress?.({ stage: 'backend', fraction: 0, message: 'choosing TensorFlow.js backend' });
    const choice = await selectBackend(options.backend);
    // Warm-up compiles the reasoner's kernels so the first live prediction is not slow.
    await scoreReasonerBatch([{ face: new Float32Array(17), voice: null, text: null }]);
    onProgress?.({ stage: 'models', fraction: 0.5, message: `running on ${choice.backend}; loading models` });
    const base = options.modelsBase ?? `${import.meta.env.BASE_URL}models/`;
    currentModelsBase = base;
    engine?.dispose();
    engine = new SegmentEngine({ textBaseUrl: `${base}text/`, fusionBaseUrl: `${base}fusion/` });
    const models = options.reasonerOnly ? engine.status : await engine.load();
    onProgress?.({ stage: 'models', fraction: 1, message: 'ready' });
    status = { ...choice, tfVersion: tf.version.tfjs, initMs: performance.now() - t0, models };
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
    const outputs = await scoreReasonerBatch(inputs);
    return { outputs, ms: performance.now() - t0 };
  },
  /** Reads segments with text model, prior, calibration and the fusion model (or the reasoner until it loads). */
  async predictSegments(requests: SegmentRequest[], options: SegmentOptions = {}): Promise<{ results: SegmentResult[]; ms: number }> {
    const s = requireInit();
    const t0 = performance.now();
    const results = await engine!.predict(requests, { ...options, backend: s.backend });
    return { results, ms: performance.now() - t0 };
  },
  /** Text model scores for typed or subtitle text (null entries for empty text or no model). */
  async readTexts(texts: string[]): Promise<({ scores: number[]; confidence: number } | null)[]> {
    requireInit();
    return engine!.readTexts(texts).map((r) => (r ? { scores: Array.from(r.scores), confidence: r.confidence } : null));
  },
  /**
   * Replaces the live fusion model, e.g. with a fine-tuned copy from IndexedDB (metadata + weights, validated
   * against this app's schema: a mismatch throws and the current model stays). `null` reloads the base model.
   */
  async useFusionModel(artifacts: { metadata: unknown; weights: ArrayBuffer } | null): Promise<EngineStatus> {
    requireInit();
    const model = artifacts
      ? fusionModelFromArtifacts(artifacts.metadata, artifacts.weights, { ...CURRENT_SCHEMA, customLabels: true })
      : await loadFusionModel({ baseUrl: `${currentModelsBase}fusion/` });
    engine!.setFusionModel(model);
    return engine!.status;
  },
  calibrationStatus(person = 'default') {
    requireInit();
    return engine!.calibration(person)?.status() ?? null;
  },
  resetCalibration(person?: string): void {
    requireInit();
    engine!.resetCalibration(person);
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
