/**
 * Assembles calibrated Items for one data root: records of every branch, their split (scripts/splits.json), the
 * per-person calibration, input standardisation and the reasoner's per-speaker means.
 *
 * Text: the text model (public/models/text) was trained on the corpora's train files, so its outputs on those are
 * over-confident; the fusion text branch therefore uses the MELD and EmoryNLP *dev* files, split 60/40 into fusion
 * train/dev by a hash of the utterance (text carries no person to calibrate or split by).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { CalibrationScheme } from '../../src/fusion/calibration';
import { textFeatureNames, textVector } from '../../src/fusion/features';
import type { InputNorm } from '../../src/fusion/fusion-model';
import { LABELS, MODALITIES, type Modality } from '../../src/shared/labels';
import { loadTextModel, type TextModel } from '../../src/text/model';
import { loadSplit, type Domain } from '../text/datasets';
import type { Item } from './compose';
import { faceCacheFile, loadFaces, loadVoice, speechCorpora, type BranchRecord } from './corpus';
import { calibrate, groupBy, standardise } from './prepare';
import { hashedSplit, splitOf, type SplitFile } from './splits';

export const TEXT_MODEL_DIR = 'public/models/text';

export interface TextBranch {
  model: TextModel;
  features: string[];
  schema: string;
}

export async function loadTextBranch(dir = TEXT_MODEL_DIR): Promise<TextBranch | null> {
  if (!existsSync(join(dir, 'metadata.json'))) return null;
  const model = await loadTextModel({ dir });
  const m = model.metadata;
  return { model, features: textFeatureNames(model.embeddingSize), schema: `text-${m.kind}-v${m.schemaVersion}-emb${model.embeddingSize}` };
}

export interface SplitRecord extends BranchRecord {
  split: string;
}

const TEXT_DOMAINS: Domain[] = ['meld', 'emorynlp'];

/**
 * Text records of MELD/EmoryNLP through the text model, at most `perClass` per class and split. They come from the
 * dev files, whose utterances the fusion model splits by hash into its own train/dev, unless `split` names other files
 * that exist, or the directory has only test files (e.g. MELD test_sent_emo.csv in a held-out directory): such records
 * all carry their files' split name.
 */
export async function loadTextRecords(dataRoot: string, text: TextBranch, perClass: number, split?: string): Promise<SplitRecord[]> {
  // The requested split's files, else the dev files, else (a held-out directory with only test files) the test files.
  const names = [...new Set([...(split && split !== 'train' ? [split] : []), 'dev', 'test'])];
  const read = (name: string) => TEXT_DOMAINS.flatMap((d) => loadSplit(join(dataRoot, 'text'), d, name));
  let filesOf = 'dev';
  let utterances: ReturnType<typeof read> = [];
  for (const name of names) {
    utterances = read((filesOf = name));
    if (utterances.length) break;
  }
  const fromSplitFiles = filesOf !== 'dev';
  const rule = { dev: 0.4, salt: 'emotion-lens-text-1' };
  const kept: typeof utterances = [];
  const counts = new Map<string, number>();
  for (const u of utterances) {
    const key = `${hashedSplit(u.text, rule)}|${u.label}`;
    if ((counts.get(key) ?? 0) >= perClass) continue;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    kept.push(u);
  }
  const out: SplitRecord[] = [];
  for (let start = 0; start < kept.length; start += 256) {
    const chunk = kept.slice(start, start + 256);
    const readings = await text.model.predict(chunk.map((u) => u.text), text.model.metadata.usesContext ? { previous: chunk.map((u) => u.previous) } : undefined);
    chunk.forEach((u, i) => {
      out.push({
        modality: 'text',
        corpus: u.domain,
        id: `${u.domain}/${start + i}`,
        person: u.domain,
        label: u.label,
        raw: textVector(readings[i]),
        text: u.text,
        textScores: Float32Array.from(readings[i].scores),
        split: fromSplitFiles ? filesOf : hashedSplit(u.text, rule),
      });
    });
  }
  return out;
}

/** Every branch record under a data root with its split. */
export async function loadRecords(
  dataRoot: string,
  splits: SplitFile,
  options: {
    cacheDir: string;
    text: TextBranch | null;
    textPerClass: number;
    extractFaces: boolean;
    voiceCorpora?: string[];
    cachedVoiceOnly?: boolean;
    /** Keep face/voice records outside the six classes with label −1 (unlabelled data for fusion stage 1). */
    keepOutOfSet?: boolean;
    /** The eval's --split: its text files are read instead of the dev files when the directory has them. */
    textSplit?: string;
  },
): Promise<SplitRecord[]> {
  const records: SplitRecord[] = [];
  const faceFile = faceCacheFile(dataRoot, options.cacheDir, options.extractFaces);
  if (!faceFile && options.extractFaces && existsSync(join(dataRoot, 'faces'))) {
    throw new Error(`${dataRoot}/faces exists but no face features could be extracted (see scripts/extract-faces.ts output above)`);
  }
  if (faceFile) for (const r of loadFaces(faceFile, options.keepOutOfSet)) records.push({ ...r, split: splitOf(r, splits) });
  for (const corpus of options.voiceCorpora ?? speechCorpora(dataRoot)) {
    for (const r of await loadVoice(dataRoot, corpus, options.cacheDir, options.cachedVoiceOnly, options.keepOutOfSet)) records.push({ ...r, split: splitOf(r, splits) });
  }
  if (options.text && existsSync(join(dataRoot, 'text'))) records.push(...(await loadTextRecords(dataRoot, options.text, options.textPerClass, options.textSplit)));
  return records;
}

/** Calibrated, standardised Items (trainLabel = label; callers hold labels back). */
export function toItems(records: readonly SplitRecord[], scheme: CalibrationScheme, norm: Record<Modality, InputNorm>, perPerson = true): Item[] {
  const cal = calibrate(records, scheme, perPerson);
  const speakerMeans = new Map<string, Float64Array>();
  for (const [person, rows] of groupBy(records.filter((r) => r.modality === 'voice'), (r) => r.person)) {
    const n = rows[0].raw.length;
    const sum = new Float64Array(n);
    const count = new Float64Array(n);
    for (const r of rows) r.raw.forEach((v, i) => Number.isFinite(v) && ((sum[i] += v), count[i]++));
    speakerMeans.set(person, sum.map((s, i) => (count[i] ? s / count[i] : Number.NaN)));
  }
  return records.map((r, i) => ({
    modality: r.modality,
    corpus: r.corpus,
    id: r.id,
    person: r.person,
    label: r.label,
    trainLabel: r.label,
    raw: r.raw,
    cal: cal[i],
    std: standardise(cal[i], norm[r.modality]),
    speakerMean: speakerMeans.get(r.person),
    textScores: r.textScores,
  }));
}

// Taiwanese posed expressions that few of the 100 observers recognised are not trusted as labels (label cleaning).
// 0.1, not higher: fearful poses are often read as surprise, and 0.25 would drop 78 of 121 worried images.
export const MIN_AGREEMENT = 0.1;
export const lowAgreement = (r: Pick<SplitRecord, 'agreement'>) => r.agreement !== undefined && r.agreement !== null && r.agreement < MIN_AGREEMENT;

/**
 * Fusion training items from every train record (loaded with keepOutOfSet): stage 1's unlabelled data
 * (trainLabel −1) are the recordings outside the six classes (disgust, contempt, other: real faces and voices with no
 * usable label) and the low-agreement images; everything else keeps its label.
 */
export function trainingItems(trainAll: readonly SplitRecord[], scheme: CalibrationScheme, norm: Record<Modality, InputNorm>): Item[] {
  const items = toItems(trainAll, scheme, norm);
  items.forEach((item, i) => {
    if (item.label < 0 || lowAgreement(trainAll[i])) item.trainLabel = -1;
  });
  return items;
}

export function countByModality(items: readonly { modality: Modality; label: number }[]): Record<Modality, number[]> {
  const out = Object.fromEntries(MODALITIES.map((m) => [m, new Array<number>(LABELS.length).fill(0)])) as Record<Modality, number[]>;
  for (const i of items) if (i.label >= 0) out[i.modality][i.label]++;
  return out;
}
