/**
 * The fusion model's input vectors per branch, defined once for training (stills, whole clips) and inference
 * (video/audio windows), so both see the same numbers:
 * - FACE: window mean over face-present frames of the 52 blendshapes, 17 AU proxies and head pose (degrees / 30).
 *   For a still image the "window" is the image itself, so its own values are the vector.
 * - VOICE: PROSODY_FEATURES (src/voice/features.ts), mean over the segment's prosody windows of the entries that are
 *   present; an entry never present in the segment is imputed from the person's baseline (it becomes 0 after
 *   calibration), never a raw 0.
 * - TEXT: the text model's embedding followed by its six class scores.
 */
import { AU_NAMES, BLENDSHAPE_NAMES } from '../face/au';
import { LABELS } from '../shared/labels';
import type { FaceFrame, ProsodyWindow, TextReading } from '../shared/types';
import { PROSODY_FEATURE_NAMES, PROSODY_SCHEMA_VERSION } from '../voice/features';

/** Bump when FACE_FEATURES' names, order or scaling change. */
export const FACE_SCHEMA_VERSION = 'face-bs52-au17-pose3-mean-1';
/** Degrees per unit of the pose entries, so pose sits on the same scale as blendshapes. */
export const POSE_SCALE_DEG = 30;

export const FACE_FEATURES: readonly string[] = Object.freeze([
  ...BLENDSHAPE_NAMES.map((n) => `bs.${n}`),
  ...AU_NAMES.map((n) => `au.${n}`),
  'pose.yaw',
  'pose.pitch',
  'pose.roll',
]);

export const VOICE_FEATURES: readonly string[] = PROSODY_FEATURE_NAMES;
export const VOICE_SCHEMA_VERSION = PROSODY_SCHEMA_VERSION;

/** Text feature names for a text model with an `embeddingDim`-wide embedding. */
export function textFeatureNames(embeddingDim: number): string[] {
  return [...Array.from({ length: embeddingDim }, (_, i) => `emb.${i}`), ...LABELS.map((l) => `score.${l}`)];
}

/** One face observation: a still image or a video frame. */
export interface FaceObservation {
  blendshapes: ArrayLike<number>;
  aus: ArrayLike<number>;
  pose: { yaw: number; pitch: number; roll: number };
}

/** Face vector of one still image (or frame). */
export function faceVector(obs: FaceObservation): Float32Array {
  const out = new Float32Array(FACE_FEATURES.length);
  if (obs.blendshapes.length !== BLENDSHAPE_NAMES.length || obs.aus.length !== AU_NAMES.length) {
    throw new Error(
      `faceVector: expected ${BLENDSHAPE_NAMES.length} blendshapes and ${AU_NAMES.length} AUs, got ${obs.blendshapes.length} and ${obs.aus.length}`,
    );
  }
  for (let i = 0; i < obs.blendshapes.length; i++) out[i] = obs.blendshapes[i];
  for (let i = 0; i < obs.aus.length; i++) out[BLENDSHAPE_NAMES.length + i] = obs.aus[i];
  const p = BLENDSHAPE_NAMES.length + AU_NAMES.length;
  out[p] = obs.pose.yaw / POSE_SCALE_DEG;
  out[p + 1] = obs.pose.pitch / POSE_SCALE_DEG;
  out[p + 2] = obs.pose.roll / POSE_SCALE_DEG;
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = 0;
  return out;
}

/** Face vector of a window of frames: mean over face-present frames; null when no frame has a face. */
export function faceWindowVector(frames: readonly FaceFrame[]): Float32Array | null {
  const present = frames.filter((f) => f.present && f.blendshapes.length === BLENDSHAPE_NAMES.length);
  if (present.length === 0) return null;
  const sum = new Float32Array(FACE_FEATURES.length);
  for (const f of present) {
    const v = faceVector(f);
    for (let i = 0; i < v.length; i++) sum[i] += v[i];
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= present.length;
  return sum;
}

/**
 * Voice vector of a segment: per-feature mean over windows where the entry is present. `fallback` supplies entries
 * never present (the person's baseline mean); without it they are NaN, which PersonCalibration.apply maps to 0 z.
 * Null when no window is voiced.
 */
export function voiceSegmentVector(windows: readonly ProsodyWindow[], fallback?: ArrayLike<number>): Float32Array | null {
  const voiced = windows.filter((w) => w.voicedFraction > 0);
  if (voiced.length === 0) return null;
  const n = VOICE_FEATURES.length;
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (const w of voiced) {
    if (w.features.length !== n) throw new Error(`voiceSegmentVector: window has ${w.features.length} features, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (w.present[i] && Number.isFinite(w.features[i])) {
        sum[i] += w.features[i];
        count[i]++;
      }
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = count[i] > 0 ? sum[i] / count[i] : fallback ? fallback[i] : Number.NaN;
  return out;
}

/** Text vector: embedding then LABELS-ordered scores. */
export function textVector(reading: Pick<TextReading, 'embedding' | 'scores'>): Float32Array {
  const out = new Float32Array(reading.embedding.length + LABELS.length);
  out.set(reading.embedding, 0);
  out.set(reading.scores, reading.embedding.length);
  return out;
}
