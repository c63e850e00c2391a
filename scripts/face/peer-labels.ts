/** Mapping of pretrained peers' 7 expression classes onto our six (pure). */
import { LABELS, type Label } from '../../src/shared/labels';

/** Peer class names (face-api: FaceExpressions keys; human: emotion labels) → ours. Disgust has no class: dropped. */
const PEER_CLASS_TO_OURS: Record<string, Label> = {
  neutral: 'neutral', happy: 'happy', sad: 'sad', angry: 'angry',
  fearful: 'worried', fear: 'worried', surprised: 'surprise', surprise: 'surprise',
};

/** Probabilities in LABELS order after dropping unmapped classes and renormalising; uniform if nothing is left. */
export function peerScoresToLabels(scores: Record<string, number>): number[] {
  const probs = LABELS.map(() => 0);
  for (const [name, score] of Object.entries(scores)) {
    const ours = PEER_CLASS_TO_OURS[name];
    if (ours && Number.isFinite(score)) probs[LABELS.indexOf(ours)] += Math.max(0, score);
  }
  const total = probs.reduce((s, v) => s + v, 0);
  return total > 0 ? probs.map((p) => p / total) : probs.map(() => 1 / LABELS.length);
}
