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
let lastOptions: InferenceInit = {};
let statusListener: ((s: InferenceStatus) => void) | null = null;
/** The fine-tuned model in use, kept so a backend change can rebuild it. */
let customArtifacts: { metadata: unknown; weights: ArrayBuffer } | null = null;

/**
 * WebGPU device loss (driver reset, tab backgrounded on some platforms, or `device.destroy()`): switch to wasm,
 * rebuild the models there and keep the session (calibration state survives), then tell the page.
 */
function watchDevice(choice: BackendChoice) {
  if (choice.backend !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  void device?.lost.then(async (info) => {
    if (!status || status.backend !== 'webgpu') return;
    const reason = `WebGPU device lost (${info.reason || 'unknown'}${info.message ? `: ${info.message}` : ''})`;
    status = null;
    deviceLosses++;
    recovering = init({ ...lastOptions, backend: 'wasm' }, undefined, [reason]);
    const next = await recovering;
    statusListener?.(next);
  });
}

/** The switch to wasm after the latest device loss, and how many losses there have been. */
let recovering: Promise<InferenceStatus> | null = null;
let deviceLosses = 0;

/**
 * Runs a call; if it failed because the WebGPU device went away mid-call, waits for the switch to wasm and runs
 * it once more, so the caller sees one slow answer instead of an error. Only a loss during THIS call counts: an
 * earlier, finished recovery does not turn a genuine error into a retry.
 */
async function withRecovery<T>(fn: () => Promise<T>): Promise<T> {
  const backendAtStart = (await ready()).backend;
  const lossesAtStart = deviceLosses;
  try {
    return await fn();
  } catch (err) {
    if (backendAtStart !== 'webgpu') throw err;
    // device.lost resolves shortly after the failing GPU call; give it a moment.
    for (let i = 0; i < 40 && deviceLosses === lossesAtStart; i++) await new Promise((r) => setTimeout(r, 50));
    if (deviceLosses === lossesAtStart || !recovering) throw err;
    await recovering;
    return fn();
  }
}

async function init(
  options: InferenceInit = {},
  onProgress?: (p: Progress) => void,
  extraFallbackReasons: string[] = [],
): Promise<InferenceStatus> {
  if (status && (!options.backend || status.backend === options.backend)) return status;
  if (starting) return starting;
  lastOptions = { ...options };
  starting = (async () => {
    const t0 = performance.now();
    onProgress?.({ stage: 'backend', fraction: 0, message: 'choosing TensorFlow.js backend' });
    const selected = await selectBackend(options.backend);
    const choice = { ...selected, fallbackReasons: [...extraFallbackReasons, ...selected.fallbackReasons] };
    // Warm-up compiles the reasoner's kernels so the first live prediction is not slow.
    await scoreReasonerBatch([{ face: new Float32Array(17), voice: null, text: null }]);
    onProgress?.({ stage: 'models', fraction: 0.5, message: `running on ${choice.backend}; loading models` });
    const base = options.modelsBase ?? `${import.meta.env.BASE_URL}models/`;
    currentModelsBase = base;
    const previous = engine;
    engine = new SegmentEngine({ textBaseUrl: `${base}text/`, fusionBaseUrl: `${base}fusion/` });
    let models = options.reasonerOnly ? engine.status : await engine.load();
    if (customArtifacts && !options.reasonerOnly) {
      engine.setFusionModel(fusionModelFromArtifacts(customArtifacts.metadata, customArtifacts.weights, { ...CURRENT_SCHEMA, customLabels: true }));
      models = engine.status;
    }
    if (previous) {
      engine.adoptCalibrations(previous);
      try {
        previous.dispose();
      } catch {
        // Tensors of a lost device may refuse disposal; they are unreachable either way.
      }
    }
    watchDevice(choice);
    onProgress?.({ stage: 'models', fraction: 1, message: 'ready' });
    status = { ...choice, tfVersion: tf.version.tfjs, initMs: performance.now() - t0, models };
    return status;
  })().finally(() => {
    starting = null;
  });
  return starting;
}

/** Waits out a backend switch in progress, then returns the status (throws before the first init()). */
async function ready(): Promise<InferenceStatus> {
  if (starting) await starting;
  if (!status) throw new Error('Inference worker used before init()');
  return status;
}

export const inferenceApi = {
  init(options: InferenceInit = {}, onProgress?: (p: Progress) => void, onStatus?: (s: InferenceStatus) => void) {
    if (onStatus) statusListener = onStatus;
    return init(options, onProgress);
  },
  /** Fault injection for tests: destroys the WebGPU device as a driver reset would. */
  debugLoseDevice(): boolean {
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    if (!device) return false;
    device.destroy();
    return true;
  },
  /** The local FACS/prosody reasoner as tensors on the chosen backend. */
  async predictReasoner(inputs: ReasonerInput[]): Promise<TimedReasonerOutput> {
    return withRecovery(async () => {
      const t0 = performance.now();
      const outputs = await scoreReasonerBatch(inputs);
      return { outputs, ms: performance.now() - t0 };
    });
  },
  /** Reads segments with text model, prior, calibration and the fusion model (or the reasoner until it loads). */
  async predictSegments(requests: SegmentRequest[], options: SegmentOptions = {}): Promise<{ results: SegmentResult[]; ms: number }> {
    return withRecovery(async () => {
      const s = await ready();
      const t0 = performance.now();
      const results = await engine!.predict(requests, { ...options, backend: s.backend });
      return { results, ms: performance.now() - t0 };
    });
  },
  /** Text model scores for typed or subtitle text (null entries for empty text or no model). */
  async readTexts(texts: string[]): Promise<({ scores: number[]; confidence: number } | null)[]> {
    await ready();
    return (await engine!.readTexts(texts)).map((r) => (r ? { scores: Array.from(r.scores), confidence: r.confidence } : null));
  },
  /**
   * Replaces the live fusion model, e.g. with a fine-tuned copy from IndexedDB (metadata + weights, validated
   * against this app's schema: a mismatch throws and the current model stays). `null` reloads the base model.
   */
  async useFusionModel(artifacts: { metadata: unknown; weights: ArrayBuffer } | null): Promise<EngineStatus> {
    await ready();
    const model = artifacts
      ? fusionModelFromArtifacts(artifacts.metadata, artifacts.weights, { ...CURRENT_SCHEMA, customLabels: true })
      : // Back to the base model; when none is deployed, back to the reasoner.
        await loadFusionModel({ baseUrl: `${currentModelsBase}fusion/` }).catch(() => null);
    engine!.setFusionModel(model);
    customArtifacts = artifacts && model ? artifacts : null;
    return engine!.status;
  },
  async calibrationStatus(person = 'default') {
    await ready();
    return engine!.calibration(person)?.status() ?? null;
  },
  async resetCalibration(person?: string): Promise<void> {
    await ready();
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
