/**
 * The one ordered label list of the base model (MER2024 discrete classes, Lian et al. 2024).
 * The same order is written into every model's metadata.json; loaders compare against it.
 */
export const LABELS = ['neutral', 'angry', 'happy', 'sad', 'worried', 'surprise'] as const;
export type Label = (typeof LABELS)[number];

/** The three input branches, in the order used by gates, contributions and masks. */
export const MODALITIES = ['face', 'voice', 'text'] as const;
export type Modality = (typeof MODALITIES)[number];

/** Per-label record helper: `labelRecord(i => probs[i])`. */
export function labelRecord<T>(at: (index: number, label: Label) => T): Record<Label, T> {
  return Object.fromEntries(LABELS.map((l, i) => [l, at(i, l)])) as Record<Label, T>;
}
