/**
 * Composed multimodal samples. No paired audio-visual-text corpus exists here (shared README), so a training or
 * eval sample is composed WITHIN a class: a face image, a voice clip and an utterance that carry the same label,
 * from different people and corpora. The fusion model therefore learns how to weigh and combine branches, not
 * cross-modal timing or person-level co-variation; the model card says so.
 */
import type { FusionPrior, FusionSample } from '../../src/fusion/batch';
import { MODALITIES, type Modality } from '../../src/shared/labels';
import { seededRandom as rng } from '../../src/training/seeded-random';
export { rng };

/** One branch record after calibration. */
export interface Item {
  modality: Modality;
  corpus: string;
  id: string;
  person: string;
  /** True label (LABELS index). */
  label: number;
  /** Label used in training: the true label, a pseudo-label, or −1 (held back and not pseudo-labelled). */
  trainLabel: number;
  raw: Float32Array;
  /** Per-person calibrated vector (FusionModel.predict input). */
  cal: Float32Array;
  /** Calibrated and standardised (network input). */
  std: Float32Array;
  /** Voice: the speaker's mean raw vector (for the reasoner's speaker-relative summary). */
  speakerMean?: ArrayLike<number>;
  textScores?: Float32Array;
}

export interface Composite {
  label: number;
  parts: Partial<Record<Modality, Item>>;
  prior?: FusionPrior | null;
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Items per modality per label. */
export function poolByLabel(items: readonly Item[], labelOf: (i: Item) => number): Record<Modality, Item[][]> {
  const pool = Object.fromEntries(MODALITIES.map((m) => [m, Array.from({ length: 6 }, () => [] as Item[])])) as Record<Modality, Item[][]>;
  for (const item of items) {
    const y = labelOf(item);
    if (y >= 0) pool[item.modality][y].push(item);
  }
  return pool;
}

/**
 * Class-balanced anchors: within each modality every class gets the modality's mean class count (minority classes
 * drawn with replacement, majority classes subsampled), so the branch heads see each class equally often.
 */
export function balancedAnchors(items: readonly Item[], labelOf: (i: Item) => number, random: () => number): Item[] {
  const out: Item[] = [];
  for (const m of MODALITIES) {
    const byClass = poolByLabel(items.filter((i) => i.modality === m), labelOf)[m].filter((c) => c.length > 0);
    if (!byClass.length) continue;
    const target = Math.round(byClass.reduce((s, c) => s + c.length, 0) / byClass.length);
    for (const members of byClass) {
      const shuffled = shuffle([...members], random);
      for (let k = 0; k < target; k++) out.push(k < shuffled.length ? shuffled[k] : members[Math.floor(random() * members.length)]);
    }
  }
  return shuffle(out, random);
}

/**
 * One composite per anchor item; each other modality joins with probability `pairProbability` (modality dropout)
 * with a random item of the same label.
 */
export function composeAround(
  anchors: readonly Item[],
  pool: Record<Modality, Item[][]>,
  labelOf: (i: Item) => number,
  pairProbability: number,
  random: () => number,
  conflictProbability = 0,
): Composite[] {
  return anchors.map((anchor) => {
    const label = labelOf(anchor);
    const parts: Partial<Record<Modality, Item>> = { [anchor.modality]: anchor };
    for (const m of MODALITIES) {
      if (m === anchor.modality || label < 0 || random() >= pairProbability) continue;
      const candidates = pool[m][label];
      if (candidates.length) parts[m] = candidates[Math.floor(random() * candidates.length)];
    }
    // Conflict augmentation: composed pairs always agree, so a gate trained only on them learns to follow the single
    // most accurate branch and is overruled by none. In real video one branch is often wrong (a laughing "angry"
    // voice, a polite smile); swapping one non-anchor branch of a full triple for another class, with the label kept
    // by the 2-of-3 majority, teaches the fusion to weigh agreement between branches.
    if (conflictProbability > 0 && label >= 0 && MODALITIES.every((m) => parts[m]) && random() < conflictProbability) {
      const others = MODALITIES.filter((m) => m !== anchor.modality);
      const m = others[Math.floor(random() * others.length)];
      const classes = pool[m].map((items, c) => (c !== label && items.length ? c : -1)).filter((c) => c >= 0);
      if (classes.length) {
        const c = classes[Math.floor(random() * classes.length)];
        parts[m] = pool[m][c][Math.floor(random() * pool[m][c].length)];
      }
    }
    return { label, parts };
  });
}

/** Full triples for eval: one per anchor item, each completed with same-label items of the other branches. */
export function composeTriples(anchors: readonly Item[], pool: Record<Modality, Item[][]>, seed: number): Composite[] {
  return composeAround(anchors, pool, (i) => i.label, 1, rng(seed));
}

/** Network input of a composite (standardised vectors; `cal` when `calibrated` for FusionModel.predict). */
export function sampleOf(c: Composite, calibrated = false): FusionSample {
  const pick = (m: Modality) => (c.parts[m] ? (calibrated ? c.parts[m]!.cal : c.parts[m]!.std) : null);
  return { face: pick('face'), voice: pick('voice'), text: pick('text'), prior: c.prior ?? null };
}
