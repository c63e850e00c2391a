/**
 * Readers for the text emotion corpora under ../shared/data/text, mapped to the six LABELS classes.
 * Layouts: meld/<split>_sent_emo.csv, emorynlp/emorynlp_<split>_final.csv, goemotions/<split>.tsv (+ labels.txt,
 * ekman_mapping.json), dair_emotion/<split>.txt ("text;label_name"; its dev split is called val).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LABELS, type Label } from '../../src/shared/labels';

export type Domain = 'meld' | 'emorynlp' | 'goemotions' | 'tweets';
export const DOMAINS: readonly Domain[] = ['meld', 'emorynlp', 'goemotions', 'tweets'];

export interface LabelledUtterance {
  text: string;
  /** Index into LABELS. */
  label: number;
  domain: Domain;
  /** Previous utterance of the same dialogue/scene, when the corpus has dialogue structure. */
  previous?: string;
  /** Annotated utterance sentiment (MELD's Sentiment column) as an index into SENTIMENTS, when the corpus has one. */
  sentiment?: number;
}

/** MELD's utterance-level sentiment classes (an auxiliary training target, never shipped). */
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

/**
 * Source label → six-class label; null = left out.
 * Disgust has no MER class. EmoryNLP "Peaceful" (calm, content, low arousal) → neutral, as calm → neutral in the
 * shared mapping. EmoryNLP "Powerful" (proud, confident, hopeful) is left out: it is neither neutral nor reliably
 * happy in the Friends annotations, and adding it to either class blurs the class boundary.
 */
const LABEL_MAP: Record<string, Label | null> = {
  neutral: 'neutral', calm: 'neutral', peaceful: 'neutral',
  joy: 'happy', joyful: 'happy', happiness: 'happy', love: 'happy', happy: 'happy',
  anger: 'angry', mad: 'angry', angry: 'angry',
  sadness: 'sad', sad: 'sad',
  fear: 'worried', fearful: 'worried', scared: 'worried', worried: 'worried',
  surprise: 'surprise', surprised: 'surprise',
  disgust: null, powerful: null,
};

export function mapLabel(source: string): number | null {
  const label = LABEL_MAP[source.trim().toLowerCase()];
  return label ? LABELS.indexOf(label) : null;
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(source: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const text = source.replace(/^\uFEFF/, '');
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

function records(path: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** MELD text has stray mojibake/non-breaking spaces in places; normalise quotes and whitespace. */
function cleanText(text: string): string {
  return text.replace(/\u0092|\u2019/g, "'").replace(/\u0085/g, '...').replace(/\s+/g, ' ').trim();
}

function readDialogueCsv(path: string, domain: Domain, dialogueKey: (r: Record<string, string>) => string): LabelledUtterance[] {
  const rows = records(path);
  const byKey = new Map<string, string>();
  for (const r of rows) byKey.set(`${dialogueKey(r)}#${r.Utterance_ID}`, cleanText(r.Utterance));
  const out: LabelledUtterance[] = [];
  for (const r of rows) {
    const label = mapLabel(r.Emotion);
    if (label === null) continue;
    const previous = byKey.get(`${dialogueKey(r)}#${Number(r.Utterance_ID) - 1}`);
    const sentiment = SENTIMENTS.indexOf((r.Sentiment ?? '').trim().toLowerCase() as (typeof SENTIMENTS)[number]);
    out.push({ text: cleanText(r.Utterance), label, domain, previous, ...(sentiment >= 0 ? { sentiment } : {}) });
  }
  return out;
}

function readGoEmotions(dir: string, split: string): LabelledUtterance[] {
  const names = readFileSync(join(dir, 'labels.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  const ekman = JSON.parse(readFileSync(join(dir, 'ekman_mapping.json'), 'utf8')) as Record<string, string[]>;
  const fineToEkman = new Map<string, string>([['neutral', 'neutral']]);
  for (const [coarse, fines] of Object.entries(ekman)) for (const f of fines) fineToEkman.set(f, coarse);
  const out: LabelledUtterance[] = [];
  for (const line of readFileSync(join(dir, `${split}.tsv`), 'utf8').split('\n').slice(1)) {
    const [text, ids] = line.split('\t');
    if (!text || !ids) continue;
    // Keep comments whose labels agree on one six-class label (multi-label rows across classes are ambiguous).
    const mapped = new Set(ids.split(',').map((id) => mapLabel(fineToEkman.get(names[Number(id)] ?? 'neutral') ?? 'neutral')));
    if (mapped.size !== 1) continue;
    const [label] = mapped;
    if (label === null || label === undefined) continue;
    out.push({ text: cleanText(text.replace(/\[NAME\]/g, 'Joey').replace(/\[RELIGION\]/g, 'religion')), label, domain: 'goemotions' });
  }
  return out;
}

function readTweets(path: string): LabelledUtterance[] {
  const out: LabelledUtterance[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const cut = line.lastIndexOf(';');
    if (cut < 0) continue;
    const label = mapLabel(line.slice(cut + 1));
    if (label !== null) out.push({ text: cleanText(line.slice(0, cut)), label, domain: 'tweets' });
  }
  return out;
}

/** Path of a corpus split, or null if that split is not present in `dataDir`. */
export function splitPath(dataDir: string, domain: Domain, split: string): string | null {
  const candidates: Record<Domain, string> = {
    meld: join(dataDir, 'meld', `${split}_sent_emo.csv`),
    emorynlp: join(dataDir, 'emorynlp', `emorynlp_${split}_final.csv`),
    goemotions: join(dataDir, 'goemotions', `${split}.tsv`),
    tweets: join(dataDir, 'dair_emotion', `${split === 'dev' ? 'val' : split}.txt`),
  };
  return existsSync(candidates[domain]) ? candidates[domain] : null;
}

/** Loads one split of one corpus; [] when absent. */
export function loadSplit(dataDir: string, domain: Domain, split: string): LabelledUtterance[] {
  const path = splitPath(dataDir, domain, split);
  if (!path) return [];
  switch (domain) {
    case 'meld':
      return readDialogueCsv(path, domain, (r) => r.Dialogue_ID);
    case 'emorynlp':
      return readDialogueCsv(path, domain, (r) => `${r.Season}-${r.Episode}-${r.Scene_ID}`);
    case 'goemotions':
      return readGoEmotions(join(dataDir, 'goemotions'), split);
    case 'tweets':
      return readTweets(path);
  }
}
