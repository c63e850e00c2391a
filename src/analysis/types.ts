/**
 * File analysis contracts: options, the result (the documented JSON export, docs/analysis-json.md) and progress.
 * Types only: no DOM, no tfjs, so the Node CLI and the unit tests read the same shapes as the browser.
 */
import type { Label, Modality } from '../shared/labels';
import type { Prior } from '../shared/types';

/** Bump on any breaking change of AnalysisResult; docs/analysis-json.md documents every version. */
export const ANALYSIS_SCHEMA_VERSION = 1;

export interface AnalysisOptions {
  /** Video frames analysed per second of media (default 5). */
  fps?: number;
  /** Segment length, seconds (default 2). */
  segmentSec?: number;
  /** Use reasoning priors (default true). */
  priors?: boolean;
  /** Seconds a single seek may take before the frame is given up (default 10). */
  seekTimeoutSec?: number;
  /** Keep landmarks of at most this many frames for the scrubbing overlay (default 3600). */
  maxLandmarkFrames?: number;
}

export const DEFAULT_ANALYSIS_OPTIONS: Required<AnalysisOptions> = {
  fps: 5,
  segmentSec: 2,
  priors: true,
  seekTimeoutSec: 10,
  maxLandmarkFrames: 3600,
};

/** Bounds the options accept (a 0.1 fps scan of a long file up to 30 fps for short clips). */
export const OPTION_LIMITS = { fps: [0.1, 30], segmentSec: [0.5, 30] } as const;

/** One segment of the timeline: what the model read and what it saw, heard and read. */
export interface AnalysisSegment {
  index: number;
  start: number;
  end: number;
  /** A LABELS entry, or 'no signal' when no modality had input. */
  label: Label | 'no signal';
  confidence: number;
  /** Probabilities in LABELS order, keyed by label. */
  probs: Record<Label, number>;
  valence: number;
  arousal: number;
  /** Share of each modality in the decision (0 for a missing modality). */
  contributions: Record<Modality, number>;
  predictor: 'reasoner' | 'fusion';
  face: {
    /** Frames sampled in the segment. */
    frames: number;
    /** Fraction of them with a face. */
    presence: number;
    /** The strongest mean AU proxies, strongest first. */
    topAus: { au: string; value: number }[];
  } | null;
  voice: {
    voicedFraction: number;
    f0RelSemitones?: number;
    loudnessRelDb?: number;
    /** Short human-readable prosody notes, e.g. "pitch +3.1 st". */
    notes: string[];
  } | null;
  /** Transcript lines overlapping the segment, joined with a space; null without subtitles. */
  transcript: string | null;
  rationale: string;
  prior: Pick<Prior, 'label' | 'source' | 'model' | 'rationale'> | null;
}

export interface AnalysisWarning {
  /** Stable machine code, e.g. 'no-audio-track'. */
  code: string;
  message: string;
}

export interface AnalysisResult {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  file: { name: string; size: number; type: string; duration: number; hasVideo: boolean; hasAudio: boolean; width?: number; height?: number };
  options: { fps: number; segmentSec: number; priors: boolean };
  /** True when part of the file could not be analysed (see warnings); segments cover only what was read. */
  partial: boolean;
  warnings: AnalysisWarning[];
  transcriptSource: 'subtitle-file' | 'text-track' | null;
  backend: string;
  timing: { totalMs: number; stages: Record<string, number>; realTimeFactor: number };
  segments: AnalysisSegment[];
  createdAt: string;
}

/** Landmarks of analysed frames, kept for the scrubbing overlay (never exported). */
export interface LandmarkTrack {
  times: number[];
  landmarks: Float32Array[];
}
