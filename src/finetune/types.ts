/**
 * Types of the in-browser fine-tuning (Teach view ↔ fine-tune worker ↔ model store). Plain data only: everything
 * here crosses the worker boundary by structured clone.
 */
import type { FusionMetadata } from '../fusion/metadata';
import type { SegmentSummary } from '../shared/types';
import type { LossTerms } from '../training/train-step';

/** One labelled clip or recorded segment, as raw (uncalibrated) branch vectors. */
export interface TeachSample {
  id: string;
  /** Index into the session's label set. */
  label: number;
  /** faceWindowVector / faceVector (null = no face). */
  face: Float32Array | null;
  /** voiceSegmentVector (null = no voice). */
  voice: Float32Array | null;
  /** textVector of the text model (null = no transcript or no text model). */
  text: Float32Array | null;
  /** AU/prosody summary: the local reasoner's prior is computed from it, as at inference. */
  summary: SegmentSummary;
  /** Whose calibration statistics apply (one person per recording session by default). */
  person: string;
  /** Where it came from, e.g. "recorded 3 s" or a file name. */
  source: string;
}

/** A model as weights + metadata (what the inference worker's useFusionModel takes). */
export interface ModelArtifacts {
  metadata: FusionMetadata;
  weights: ArrayBuffer;
}

export interface FineTuneSettings {
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** Fraction of each class held out for validation (at least one clip per class with ≥ 2 clips). */
  validationFraction: number;
  seed: number;
}

export const DEFAULT_FINETUNE_SETTINGS: FineTuneSettings = {
  epochs: 60,
  learningRate: 3e-3,
  batchSize: 32,
  validationFraction: 0.34,
  seed: 1,
};

export interface ClassMetrics {
  accuracy: number;
  macroF1: number;
  /** F1 per class, in label-set order. */
  f1: number[];
  /** Held-out clips scored. */
  n: number;
}

export interface EpochReport {
  epoch: number;
  /** Mean loss terms over the epoch's batches. */
  loss: LossTerms;
  val: ClassMetrics;
  ms: number;
}

/** Weights after a finished epoch: resuming after a cancel restarts from here (on the main thread). */
export interface Checkpoint {
  epoch: number;
  weights: ArrayBuffer;
  specs: FusionMetadata['weights']['specs'];
  history: EpochReport[];
  before: EmbeddingSnapshot;
}

/** 2-D PCA of the fused embeddings of every clip, with labels and train/validation role. */
export interface EmbeddingSnapshot {
  points: [number, number][];
  labels: number[];
  validation: boolean[];
  metrics: ClassMetrics;
}

export interface FineTuneRequest {
  base: ModelArtifacts;
  labels: string[];
  samples: TeachSample[];
  settings: FineTuneSettings;
  resume?: Checkpoint | null;
}

export interface FineTuneResult {
  model: ModelArtifacts;
  history: EpochReport[];
  before: EmbeddingSnapshot;
  after: EmbeddingSnapshot;
  backend: string;
  ms: number;
  /** tf.memory().numTensors in the worker before and after training. */
  numTensors: { before: number; after: number };
}
