/**
 * Readers for the two face datasets in ../shared/data/faces (see ../shared/README.md), mapped to the six base
 * classes. Pure Node (fs only): used by extract-faces.ts, eval-face-peers.ts and the fixture helpers.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS, type Label } from '../../src/shared/labels';

/** Our six classes plus the classes kept in caches but excluded from the 6-class model. */
export type FaceLabel = Label | 'disgust' | 'other';

export interface FaceImageRecord {
  dataset: 'taiwanese' | 'muxspace';
  /** File name inside `<dataset>/images/`. */
  file: string;
  /** Path relative to the data root, e.g. `faces/taiwanese/images/0101a02.jpg`. */
  path: string;
  /** Person id: Taiwanese performer (two digits), muxspace `identity`. Use it for subject-independent splits. */
  subject: string;
  /** Label as written in the source (Taiwanese letter meaning, or muxspace emotion word). */
  sourceLabel: string;
  label: FaceLabel;
  /** True when `label` is not one of LABELS (disgust, contempt, unlabelled files). */
  excluded: boolean;
  /** Taiwanese only: 1 front, 2 three-quarter, 3 profile (Readme 4th digit). */
  view?: number;
  /** Taiwanese only: 1 theatric, 2 Ekman FACS criteria, 3 personal event; 0 occurs but is undocumented. */
  performanceType?: number;
  /**
   * Taiwanese only: proportion of the 100 observers choosing the posed category (counterMax of that category).
   * null for neutral poses (no neutral column in the ratings) and for files without ratings.
   */
  agreement?: number | null;
  /** Taiwanese only: observer proportions happy, sad, angry, disgusted, fearful, surprised (counterMax G–L). */
  observerVotes?: number[] | null;
  /** Taiwanese only: highest mean intensity rated by observers (maxInt); low for convincing neutral poses. */
  observerMaxIntensity?: number | null;
}

/** Readme: a calm/neutral, b happy, c sad, d angry, e disgusted, f fearful, g surprised. */
const TAIWANESE_LETTERS: Record<string, { source: string; label: FaceLabel }> = {
  a: { source: 'neutral', label: 'neutral' },
  b: { source: 'happy', label: 'happy' },
  c: { source: 'sad', label: 'sad' },
  d: { source: 'angry', label: 'angry' },
  e: { source: 'disgusted', label: 'disgust' },
  f: { source: 'fearful', label: 'worried' },
  g: { source: 'surprised', label: 'surprise' },
};

/** Column offset of each posed category inside the six counterMax columns (happy … surprised). */
const VOTE_COLUMN: Record<string, number> = { b: 0, c: 1, d: 2, e: 3, f: 4, g: 5 };

/** muxspace emotion words → our classes (shared README mapping; contempt has no class). */
const MUXSPACE_WORDS: Record<string, FaceLabel> = {
  neutral: 'neutral',
  happiness: 'happy',
  sadness: 'sad',
  anger: 'angry',
  fear: 'worried',
  surprise: 'surprise',
  disgust: 'disgust',
  contempt: 'other',
};

export function isBaseLabel(label: string): label is Label {
  return (LABELS as readonly string[]).includes(label);
}

export interface TaiwaneseName {
  performer: string;
  performanceType: number;
  view: number;
  letter: string | null;
  serial: string;
}

/** Parses `PP T V L NN.jpg` (e.g. 0121b03.jpg). A few files lack the letter (`1201002.jpg`): letter null. */
export function parseTaiwaneseName(file: string): TaiwaneseName | null {
  const m = /^(\d{2})(\d)(\d)([a-g])?(\d{2,3})\.(?:jpg|tif)$/i.exec(file);
  if (!m) return null;
  return { performer: m[1], performanceType: Number(m[2]), view: Number(m[3]), letter: m[4]?.toLowerCase() ?? null, serial: m[5] };
}

interface ObserverRow {
  votes: number[];
  maxIntensity: number;
}

/** observer_ratings.csv: 2 header rows; column A file name (.tif), E maxInt, G–L counterMax. Keyed by .jpg name. */
export function parseObserverRatings(csv: string): Map<string, ObserverRow> {
  const rows = new Map<string, ObserverRow>();
  for (const line of csv.split(/\r?\n/).slice(2)) {
    const cells = line.split(',');
    if (!cells[0]) continue;
    const votes = cells.slice(6, 12).map(Number);
    if (votes.some((v) => !Number.isFinite(v))) continue;
    rows.set(cells[0].trim().replace(/\.tif$/i, '.jpg'), { votes, maxIntensity: Number(cells[4]) });
  }
  return rows;
}

export function readTaiwanese(dataRoot: string): FaceImageRecord[] {
  const dir = join(dataRoot, 'faces', 'taiwanese');
  const ratingsFile = join(dir, 'observer_ratings.csv');
  const ratings = existsSync(ratingsFile) ? parseObserverRatings(readFileSync(ratingsFile, 'utf8')) : new Map<string, ObserverRow>();
  const files = readdirSync(join(dir, 'images')).filter((f) => /\.jpg$/i.test(f)).sort();
  const records: FaceImageRecord[] = [];
  for (const file of files) {
    const name = parseTaiwaneseName(file);
    if (!name) continue;
    const posed = name.letter ? TAIWANESE_LETTERS[name.letter] : undefined;
    const rating = ratings.get(file);
    const column = name.letter ? VOTE_COLUMN[name.letter] : undefined;
    records.push({
      dataset: 'taiwanese',
      file,
      path: `faces/taiwanese/images/${file}`,
      subject: name.performer,
      sourceLabel: posed?.source ?? 'unlabelled',
      label: posed?.label ?? 'other',
      excluded: !posed || !isBaseLabel(posed.label),
      view: name.view,
      performanceType: name.performanceType,
      agreement: rating && column !== undefined ? rating.votes[column] : null,
      observerVotes: rating?.votes ?? null,
      observerMaxIntensity: rating?.maxIntensity ?? null,
    });
  }
  return records;
}

export function readMuxspace(dataRoot: string): FaceImageRecord[] {
  const dir = join(dataRoot, 'faces', 'muxspace');
  const present = new Set(readdirSync(join(dir, 'images')));
  const records: FaceImageRecord[] = [];
  for (const line of readFileSync(join(dir, 'labels.csv'), 'utf8').split(/\r?\n/).slice(1)) {
    const [file, word, identity] = line.split(',').map((c) => c?.trim());
    if (!file || !present.has(file)) continue;
    const label = MUXSPACE_WORDS[word?.toLowerCase() ?? ''] ?? 'other';
    records.push({
      dataset: 'muxspace',
      file,
      path: `faces/muxspace/images/${file}`,
      subject: identity ?? file,
      sourceLabel: word ?? '',
      label,
      excluded: !isBaseLabel(label),
    });
  }
  return records.sort((a, b) => a.file.localeCompare(b.file));
}

/** Both datasets, Taiwanese first; a dataset whose folder is absent under this data root is skipped. */
export function readFaceDatasets(dataRoot: string): FaceImageRecord[] {
  const has = (name: string) => existsSync(join(dataRoot, 'faces', name, 'images'));
  return [...(has('taiwanese') ? readTaiwanese(dataRoot) : []), ...(has('muxspace') ? readMuxspace(dataRoot) : [])];
}

/** Every k-th record of each dataset, so a --limit run still covers both datasets and all labels. */
export function spreadSample<T extends { dataset: string }>(records: T[], limit: number): T[] {
  if (!(limit > 0) || limit >= records.length) return records;
  const groups = new Map<string, T[]>();
  for (const r of records) {
    if (!groups.has(r.dataset)) groups.set(r.dataset, []);
    groups.get(r.dataset)!.push(r);
  }
  const perGroup = Math.max(1, Math.floor(limit / groups.size));
  return [...groups.values()].flatMap((g) => {
    const step = Math.max(1, g.length / perGroup);
    return Array.from({ length: Math.min(perGroup, g.length) }, (_, i) => g[Math.floor(i * step)]);
  });
}
