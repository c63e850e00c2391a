/**
 * What the fine-tune worker exposes (workers/finetune.worker.ts is only `expose(finetuneApi)`): backend choice,
 * voice features of a clip, and the BDCL fine-tune. Training runs here, off the UI thread; the UI cancels by
 * aborting the bridge call, which terminates this worker mid-step (the main thread keeps the last checkpoint).
 */
import * as tf from '@tensorflow/tfjs';
import type { TfBackendName } from '../env';
import { selectBackend, type BackendChoice } from '../fusion/backend';
import { voiceSegmentVector } from '../fusion/features';
import type { SegmentSummary } from '../shared/types';
import { fileBaseline, voiceSummary } from '../voice/calibration';
import { prosodyWindows } from '../voice/extract';
import { fetchBaseArtifacts, untrainedBase } from './base';
import { fineTuneStepCheck, type StepCheck } from './step-check';
import { fineTune } from './trainer';
import type { Checkpoint, EpochReport, FineTuneRequest, FineTuneResult, ModelArtifacts } from './types';

let choice: BackendChoice | null = null;

async function ensureBackend(backend?: TfBackendName): Promise<BackendChoice> {
  if (!choice || (backend && choice.backend !== backend)) choice = await selectBackend(backend);
  return choice;
}

export interface BaseInfo {
  version: string;
  labels: string[];
  trained: boolean;
  /** Why a deployed base model could not be used (then training starts from an untrained network). */
  problem?: string;
}

let cachedBase: { url: string; artifacts: ModelArtifacts; problem?: string } | null = null;

async function baseModel(fusionBaseUrl: string): Promise<{ artifacts: ModelArtifacts; problem?: string }> {
  if (cachedBase?.url === fusionBaseUrl) return cachedBase;
  let problem: string | undefined;
  const deployed = await fetchBaseArtifacts(fusionBaseUrl).catch((err: unknown) => {
    problem = err instanceof Error ? err.message : String(err);
    return null;
  });
  cachedBase = { url: fusionBaseUrl, artifacts: deployed ?? (await untrainedBase()), problem };
  return cachedBase;
}

export const finetuneApi = {
  async init(options: { backend?: TfBackendName } = {}): Promise<BackendChoice> {
    return ensureBackend(options.backend);
  },
  /** The model fine-tuning starts from (the deployed base model, or an untrained one when none is deployed). */
  async base(fusionBaseUrl: string): Promise<BaseInfo> {
    const { artifacts: b, problem } = await baseModel(fusionBaseUrl);
    return { version: b.metadata.version, labels: b.metadata.labels, trained: !b.metadata.version.startsWith('untrained'), problem };
  },
  /** Voice vector and reasoner summary of a decoded clip (2 s windows, 1 s hop, the clip as its own baseline). */
  voiceClip(samples: Float32Array, sampleRate: number): { voice: Float32Array | null; summary: SegmentSummary['voice'] } {
    const windows = prosodyWindows(samples, sampleRate, { windowSec: 2, hopSec: 1 });
    const voice = voiceSegmentVector(windows);
    const baseline = fileBaseline(windows);
    const best = [...windows].sort((a, b) => b.voicedFraction - a.voicedFraction)[0];
    return { voice, summary: best && best.voicedFraction > 0.05 ? voiceSummary(best, baseline) : null };
  },
  /**
   * Fine-tunes a copy of the base model. `onEpoch` receives each epoch's report and, every epoch, a checkpoint
   * the caller keeps for resuming after a cancel.
   */
  async train(
    request: Omit<FineTuneRequest, 'base'> & { fusionBaseUrl: string; backend?: TfBackendName },
    onEpoch?: (report: EpochReport, checkpoint: Checkpoint | null) => void,
  ): Promise<FineTuneResult> {
    const b = await ensureBackend(request.backend);
    const { artifacts: base } = await baseModel(request.fusionBaseUrl);
    const before = tf.memory().numTensors;
    const result = await fineTune({ ...request, base }, { onEpoch, backend: b.backend });
    return { ...result, numTensors: { before, after: tf.memory().numTensors } };
  },
  /** One custom-head BDCL step's loss and gradient norm on this worker's backend (cross-backend agreement). */
  async stepCheck(): Promise<StepCheck> {
    const before = tf.memory().numTensors;
    const out = await fineTuneStepCheck();
    return { ...out, numTensorsLeaked: tf.memory().numTensors - before };
  },
  memory(): { numTensors: number; numBytes: number; backend: string } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes, backend: tf.getBackend() };
  },
};

export type FinetuneApi = typeof finetuneApi;
