/**
 * Loads every branch's corpus as uniform records for fusion training and eval:
 * faces (Taiwanese + muxspace) from the face-data engineer's FaceLandmarker cache (faces.jsonl), voice (any speech
 * corpus in the RAVDESS labels.csv schema) through the app's prosody extractor, text (MELD, EmoryNLP …) through the
 * text model. Labels are LABELS indices; records without a six-class label (disgust, contempt, other) are dropped,
 * or kept with label −1 when the caller asks for them as unlabelled data (`keepOutOfSet`, fusion stage 1).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AU_NAMES } from '../../src/face/au';
import { faceVector, textVector } from '../../src/fusion/features';
import { LABELS, type Label, type Modality } from '../../src/shared/labels';
import type { SegmentSummary } from '../../src/shared/types';
import { voiceFeatures } from './voice-cache';

export interface BranchRecord {
  modality: Modality;
  /** Corpus name, e.g. `taiwanese`, `muxspace`, `ravdess`, `meld`. */
  corpus: string;
  id: string;
  /** Person (performer, identity, actor); text records use the corpus as person (no per-person calibration). */
  person: string;
  label: number;
  raw: Float32Array;
  /** Taiwanese observer agreement with the posed label (null when not rated). */
  agreement?: number | null;
  /** Text utterance (for the reasoner summary). */
  text?: string;
  /** Text model scores (LABELS order). */
  textScores?: Float32Array;
}

/** RAVDESS-schema emotion words → LABELS (shared README mapping; disgust has no class). */
const SPEECH_WORDS: Record<string, Label | null> = {
  neutral: 'neutral', calm: 'neutral', happy: 'happy', sad: 'sad', angry: 'angry', fearful: 'worried',
  fear: 'worried', surprised: 'surprise', surprise: 'surprise', disgust: null,
};

export function speechLabel(word: string): number {
  const label = SPEECH_WORDS[word.trim().toLowerCase()];
  return label ? LABELS.indexOf(label) : -1;
}

interface FaceRow {
  dataset: string;
  file: string;
  subject: string;
  label: string;
  excluded: boolean;
  present: boolean;
  blendshapes: number[];
  aus: number[];
  pose: { yaw: number; pitch: number; roll: number } | [number, number, number];
  agreement?: number | null;
}

/** Where face features (and peer results) of a data directory are cached: `cacheDir` itself for ../shared/data. */
export function faceCacheDir(dataRoot: string, cacheDir: string): string {
  const root = resolve(dataRoot);
  return root === resolve('../shared/data') ? cacheDir : join(cacheDir, `faces-${createHash('sha1').update(root).digest('hex').slice(0, 10)}`);
}

/** Images per face corpus the peers are run on (an evenly spaced sample; the committed reports/face-peers.json run). */
const PEER_IMAGES_PER_CORPUS = 830;

/**
 * Per-image results of the pretrained peers (face-api, human) for a data directory, run once (≈ 0.5 s per image for
 * both peers here) and cached beside its face features: ../shared/data's summary is the committed
 * reports/face-peers.json, any other directory (e.g. held-out people) gets its own. Returns null when the directory has
 * no faces, or when `run` is false and nothing is cached.
 */
export function facePeersFiles(dataRoot: string, cacheDir: string, run: boolean): { jsonl: string; report: string } | null {
  const dir = faceCacheDir(dataRoot, cacheDir);
  const files = { jsonl: join(dir, 'face-peers.jsonl'), report: dir === cacheDir ? 'reports/face-peers.json' : join(dir, 'face-peers.json') };
  if (existsSync(files.jsonl)) return files;
  if (!existsSync(join(resolve(dataRoot), 'faces')) || !run) return existsSync(files.report) ? files : null;
  console.log(`peers: no per-image results for ${resolve(dataRoot)}; running scripts/eval-face-peers.ts (face-api and human in Chromium)…`);
  execFileSync('npx', ['tsx', 'scripts/eval-face-peers.ts', '--data', resolve(dataRoot), '--max-per-dataset', String(PEER_IMAGES_PER_CORPUS), '--out', dir, '--report', files.report], { stdio: 'inherit' });
  return existsSync(files.jsonl) ? files : null;
}

/** faces.jsonl for a data root: the default cache for ../shared/data, else extracted on demand into a keyed dir. */
export function faceCacheFile(dataRoot: string, cacheDir: string, extract: boolean): string | null {
  const root = resolve(dataRoot);
  const dir = faceCacheDir(root, cacheDir);
  const file = join(dir, 'faces.jsonl');
  if (existsSync(file)) return file;
  if (!existsSync(join(root, 'faces')) || !extract) return null;
  console.log(`faces: no cache for ${root}; running scripts/extract-faces.ts (FaceLandmarker in Chromium)…`);
  execFileSync('npx', ['tsx', 'scripts/extract-faces.ts', '--data', root, '--out', dir], { stdio: 'inherit' });
  return existsSync(file) ? file : null;
}

export function loadFaces(faceFile: string, keepOutOfSet = false): BranchRecord[] {
  const out: BranchRecord[] = [];
  for (const line of readFileSync(faceFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as FaceRow;
    const label = LABELS.indexOf(r.label as Label);
    const outOfSet = label < 0 || r.excluded;
    if ((outOfSet && !keepOutOfSet) || !r.present || r.blendshapes.length === 0) continue;
    const pose = Array.isArray(r.pose) ? { yaw: r.pose[0], pitch: r.pose[1], roll: r.pose[2] } : r.pose;
    out.push({
      modality: 'face',
      corpus: r.dataset,
      id: `${r.dataset}/${r.file}`,
      person: `${r.dataset}/${r.subject}`,
      label: outOfSet ? -1 : label,
      raw: faceVector({ blendshapes: r.blendshapes, aus: r.aus, pose }),
      agreement: r.agreement ?? null,
    });
  }
  return out;
}

/** Speech corpora under `<data>/speech/*` with a labels.csv. */
export function speechCorpora(dataRoot: string): string[] {
  const dir = join(dataRoot, 'speech');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => existsSync(join(dir, d, 'labels.csv'))).sort();
}

export async function loadVoice(dataRoot: string, corpus: string, cacheDir: string, cachedOnly = false, keepOutOfSet = false): Promise<BranchRecord[]> {
  const records = await voiceFeatures(join(dataRoot, 'speech', corpus), cacheDir, console.log, cachedOnly);
  return records
    .filter((r) => r.vector && (keepOutOfSet || speechLabel(r.emotion) >= 0))
    .map((r) => ({
      modality: 'voice' as const,
      corpus,
      id: `${corpus}/${r.file}`,
      person: `${corpus}/${r.speaker}`,
      label: speechLabel(r.emotion),
      raw: Float32Array.from(r.vector!, (v) => (v === null ? Number.NaN : v)),
    }));
}

/** Face part of the reasoner's summary from one face record (AU proxies are in the face vector). */
export function faceSummary(raw: Float32Array): NonNullable<SegmentSummary['face']> {
  const offset = raw.length - AU_NAMES.length - 3;
  return { presence: 1, auMean: Object.fromEntries(AU_NAMES.map((au, i) => [au, raw[offset + i]])) };
}

export { textVector };
