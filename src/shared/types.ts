/**
 * Types shared between threads (UI, workers, server). Types and typed defaults only: no DOM, no tfjs.
 */
import type { Label, Modality } from './labels';

/** Head pose in degrees, from FaceLandmarker's facial transformation matrix. */
export interface HeadPose {
  yaw: number;
  pitch: number;
  roll: number;
}

/** One analysed video frame. */
export interface FaceFrame {
  /** Seconds: media time in file analysis, performance.now()/1000 in live mode. */
  time: number;
  present: boolean;
  /** 52 scores in BLENDSHAPE_NAMES order (src/face/au.ts); empty when no face. */
  blendshapes: Float32Array;
  /** AU proxies in AU_NAMES order; empty when no face. */
  aus: Float32Array;
  pose: HeadPose;
  /** 478 landmarks as x,y,z triples, normalised to the frame (for the overlay). */
  landmarks?: Float32Array;
  /** Milliseconds spent in the landmarker for this frame. */
  ms?: number;
}

/**
 * A fixed window of voice analysis. Per-frame traces use a 10 ms hop (eGeMAPS v02 frame rate).
 * `features` follows PROSODY_FEATURES (src/voice/features.ts); entries that are undefined for this window
 * (e.g. voiced-only statistics in silence) are 0 with `present[i] === 0`, never NaN.
 */
export interface ProsodyWindow {
  /** Window start and end in seconds. */
  start: number;
  end: number;
  sampleRate: number;
  /** F0 per 10 ms frame in Hz; 0 marks an unvoiced frame. */
  f0Hz: Float32Array;
  /** Loudness per 10 ms frame (eGeMAPS-style perceptual loudness, sone-like). */
  loudness: Float32Array;
  /** Fraction of frames called voiced. */
  voicedFraction: number;
  features: Float32Array;
  present: Uint8Array;
}

/** Text branch output for one utterance. */
export interface TextReading {
  text: string;
  /** Probabilities in LABELS order. */
  scores: Float32Array;
  /** Embedding fed to fusion. */
  embedding: Float32Array;
  /** 0..1; low for out-of-vocabulary or non-English text. */
  confidence: number;
}

/**
 * Compact, privacy-preserving summary of one segment: what the reasoner and the prior proxy see.
 * Prosody values are relative to the speaker's own baseline (calibration), so microphone gain does not matter.
 */
export interface SegmentSummary {
  start: number;
  end: number;
  face?: {
    /** Fraction of sampled frames in which a face was found. */
    presence: number;
    /** Mean AU proxy intensity over face frames, keyed by AU name. */
    auMean: Record<string, number>;
    /** Peak AU proxy intensity over face frames, keyed by AU name. */
    auMax?: Record<string, number>;
  } | null;
  voice?: {
    voicedFraction: number;
    /** Mean F0 relative to the speaker's baseline, semitones. */
    f0RelSemitones?: number;
    /** Standard deviation of F0 within the window, semitones. */
    f0SdSemitones?: number;
    /** Loudness relative to the speaker's baseline, dB. */
    loudnessRelDb?: number;
    /** Jitter (local), percent. */
    jitterPct?: number;
    /** Shimmer (local), dB. */
    shimmerDb?: number;
    /** Harmonics-to-noise ratio, dB. */
    hnrDb?: number;
    /** Voiced segments per second. */
    syllableRate?: number;
  } | null;
  text?: {
    transcript: string;
    /** Text model probabilities keyed by label, when the text model ran. */
    scores?: Partial<Record<Label, number>>;
  } | null;
}

/** A reasoning prior, from Gemini or the local FACS/prosody reasoner (same schema either way). */
export interface Prior {
  scores: Record<Label, number>;
  contributions: Record<Modality, number>;
  label: Label;
  rationale: string;
  source: 'gemini' | 'local';
  model: string;
  latencyMs: number;
}

/** One prediction as shown to the user and emitted by the widget. */
export interface EmotionPrediction {
  start: number;
  end: number;
  /** Probabilities keyed by label (sum to 1). */
  probs: Record<string, number>;
  label: string;
  confidence: number;
  /** −1..1 */
  valence: number;
  /** −1..1 */
  arousal: number;
  contributions: Record<Modality, number>;
  rationale: string;
  /** Which predictor produced it. */
  predictor: 'reasoner' | 'fusion';
  backend: string;
  prior?: Prior;
}

/** Progress reported by long worker jobs. */
export interface Progress {
  stage: string;
  /** 0..1, or −1 when unknown. */
  fraction: number;
  message?: string;
}
