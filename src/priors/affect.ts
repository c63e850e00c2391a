import { LABELS } from '../shared/labels';

/**
 * Valence/arousal anchor of each class on the circumplex (Russell 1980, "A circumplex model of affect";
 * positions read from Russell's Fig. 2 and the MER2024 class set), in LABELS order, each in −1..1.
 * Dimensional read-outs are the probability-weighted mean of these anchors.
 */
export const AFFECT_ANCHORS: Readonly<Record<(typeof LABELS)[number], { valence: number; arousal: number }>> = {
  neutral: { valence: 0, arousal: 0 },
  angry: { valence: -0.6, arousal: 0.7 },
  happy: { valence: 0.8, arousal: 0.45 },
  sad: { valence: -0.7, arousal: -0.45 },
  worried: { valence: -0.5, arousal: 0.35 },
  surprise: { valence: 0.2, arousal: 0.8 },
};

/** Probability-weighted valence and arousal. `probs` in LABELS order. */
export function affectFromProbs(probs: ArrayLike<number>): { valence: number; arousal: number } {
  let valence = 0;
  let arousal = 0;
  LABELS.forEach((label, i) => {
    valence += probs[i] * AFFECT_ANCHORS[label].valence;
    arousal += probs[i] * AFFECT_ANCHORS[label].arousal;
  });
  return { valence, arousal };
}
