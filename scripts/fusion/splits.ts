/**
 * Person-independent splits, fixed in the committed scripts/splits.json: every person (performer, identity, actor)
 * is in exactly one split. Text corpora keep their own train/dev files. A corpus or person not listed (a new
 * held-out data directory) falls in split "all".
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { BranchRecord } from './corpus';

export interface SplitFile {
  description: string;
  /** corpus → split name → persons (without the corpus prefix). */
  persons: Record<string, Record<string, string[]>>;
  /** Hash-based rule for corpora with too many persons to list (muxspace identities). */
  hashed: Record<string, { dev: number; salt: string }>;
}

export const SPLITS_PATH = 'scripts/splits.json';

/** Deterministic dev fraction by a salted SHA-1 of the person id. */
export function hashedSplit(person: string, rule: { dev: number; salt: string }): string {
  const h = createHash('sha1').update(`${rule.salt}:${person}`).digest().readUInt32BE(0) / 2 ** 32;
  return h < rule.dev ? 'dev' : 'train';
}

export function readSplits(path = SPLITS_PATH): SplitFile {
  return JSON.parse(readFileSync(path, 'utf8')) as SplitFile;
}

/** Split of a record: listed person → that split; hashed corpus → rule; else "all". */
export function splitOf(record: Pick<BranchRecord, 'corpus' | 'person'>, splits: SplitFile): string {
  const person = record.person.slice(record.corpus.length + 1);
  const listed = splits.persons[record.corpus];
  if (listed) {
    for (const [name, persons] of Object.entries(listed)) if (persons.includes(person)) return name;
    return 'all';
  }
  const rule = splits.hashed[record.corpus];
  return rule ? hashedSplit(person, rule) : 'all';
}

/** Writes the default split file (run once; the result is committed). */
export function writeDefaultSplits(taiwanesePerformers: string[], path = SPLITS_PATH): void {
  const ravdess = Array.from({ length: 20 }, (_, i) => String(i + 1));
  // Dev: 3 male (odd) + 3 female (even) actors; Taiwanese: every 4th performer (5 of 23).
  const ravdessDev = ['15', '16', '17', '18', '19', '20'];
  const sorted = [...taiwanesePerformers].sort();
  const taiwaneseDev = sorted.filter((_, i) => i % 4 === 3);
  const file: SplitFile = {
    description:
      'Person-independent splits for fusion training (scripts/train.ts) and eval (scripts/eval.ts). ' +
      'RAVDESS by actor, Taiwanese by performer, muxspace by identity hash (20 % dev); text corpora keep their files. ' +
      'Within train, the labels of persons in "trainUnlabelled" are held back for semi-supervised stage 1.',
    persons: {
      ravdess: { train: ravdess.filter((a) => !ravdessDev.includes(a)), dev: ravdessDev },
      taiwanese: { train: sorted.filter((p) => !taiwaneseDev.includes(p)), dev: taiwaneseDev },
    },
    hashed: { muxspace: { dev: 0.2, salt: 'emotion-lens-fusion-1' } },
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/** Persons of the train split whose labels stage 1 treats as unknown (every 4th, by sorted id). */
export function heldBackPersons(records: readonly BranchRecord[], splits: SplitFile): Set<string> {
  const persons = [...new Set(records.filter((r) => splitOf(r, splits) === 'train' && r.modality !== 'text').map((r) => r.person))].sort();
  return new Set(persons.filter((_, i) => i % 4 === 3));
}

/** What a record needs for choosing the evaluated records. */
type EvalCandidate = Pick<BranchRecord, 'modality' | 'person'> & { split: string };

/**
 * The records an eval scores. On the training directory with a split name from splits.json: that split. Otherwise
 * (another directory, e.g. held-out people, or an unknown split name): every face and voice record of a person the
 * model never trained on, whatever the split is called, plus the text records outside the fusion model's training part.
 */
export function evaluationRecords<R extends EvalCandidate>(
  all: readonly R[],
  trainRecords: readonly EvalCandidate[],
  split: string,
  options: { sameData: boolean; knownSplits: ReadonlySet<string> },
): { records: R[]; note: string } {
  if (options.sameData && options.knownSplits.has(split)) return { records: all.filter((r) => r.split === split), note: `split "${split}"` };
  const seen = new Set(trainRecords.filter((r) => r.modality !== 'text').map((r) => r.person));
  const records = all.filter((r) => (r.modality === 'text' ? r.split !== 'train' : !seen.has(r.person)));
  const where = options.sameData ? `split "${split}" is not in scripts/splits.json` : 'another directory';
  return { records, note: `${where}: persons not in the training data's train split (${all.length - records.length} of ${all.length} records left out as seen in training)` };
}

