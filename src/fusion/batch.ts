/**
 * Turns per-sample feature vectors (null = modality missing) into the fusion network's input tensors.
 * A missing branch gets a zero row AND a 0 in the presence mask; the network never reads that row (masked gate,
 * masked mean), so the zeros are placeholders, not data.
 */
import * as tf from '@tensorflow/tfjs';
import { LABELS, MODALITIES, type Label, type Modality } from '../shared/labels';
import { PRIOR_SIZE, type FusionInputs } from './model';

/** A reasoning prior as the fusion stage consumes it. */
export interface FusionPrior {
  /** Class scores in LABELS order, or keyed by label. */
  scores: ArrayLike<number> | Record<Label, number>;
  contributions: Record<Modality, number>;
  /** 0..1 */
  confidence: number;
}

export interface FusionSample {
  face: Float32Array | null;
  voice: Float32Array | null;
  text: Float32Array | null;
  prior?: FusionPrior | null;
}

function scoresArray(scores: FusionPrior['scores']): number[] {
  if (typeof (scores as ArrayLike<number>).length === 'number') return Array.from(scores as ArrayLike<number>);
  const record = scores as Record<Label, number>;
  return LABELS.map((l) => record[l] ?? 0);
}

/** Flat prior vector: LABELS scores, MODALITIES contributions, confidence. */
export function priorVector(prior: FusionPrior): Float32Array {
  const out = new Float32Array(PRIOR_SIZE);
  const scores = scoresArray(prior.scores);
  if (scores.length !== LABELS.length) throw new Error(`fusion prior: expected ${LABELS.length} scores, got ${scores.length}`);
  out.set(scores, 0);
  MODALITIES.forEach((m, i) => (out[LABELS.length + i] = prior.contributions[m] ?? 0));
  out[PRIOR_SIZE - 1] = prior.confidence;
  return out;
}

/** Builds input tensors (caller disposes, or call inside tf.tidy). Throws on a wrong feature length. */
export function fusionInputs(samples: readonly FusionSample[], dims: Record<Modality, number>): FusionInputs {
  const n = samples.length;
  const rows = {} as Record<Modality, Float32Array>;
  for (const m of MODALITIES) rows[m] = new Float32Array(n * dims[m]);
  const mask = new Float32Array(n * MODALITIES.length);
  const prior = new Float32Array(n * PRIOR_SIZE);
  const priorMask = new Float32Array(n);
  samples.forEach((s, i) => {
    MODALITIES.forEach((m, j) => {
      const x = s[m];
      if (!x) return;
      if (x.length !== dims[m]) throw new Error(`fusion input: ${m} vector has ${x.length} values, expected ${dims[m]}`);
      for (let k = 0; k < x.length; k++) {
        const v = x[k];
        rows[m][i * dims[m] + k] = Number.isFinite(v) ? v : 0;
      }
      mask[i * MODALITIES.length + j] = 1;
    });
    if (s.prior) {
      prior.set(priorVector(s.prior), i * PRIOR_SIZE);
      priorMask[i] = 1;
    } else {
      prior.fill(1 / LABELS.length, i * PRIOR_SIZE, i * PRIOR_SIZE + LABELS.length);
    }
  });
  return {
    face: tf.tensor2d(rows.face, [n, dims.face]),
    voice: tf.tensor2d(rows.voice, [n, dims.voice]),
    text: tf.tensor2d(rows.text, [n, dims.text]),
    mask: tf.tensor2d(mask, [n, MODALITIES.length]),
    prior: tf.tensor2d(prior, [n, PRIOR_SIZE]),
    priorMask: tf.tensor2d(priorMask, [n, 1]),
  };
}
