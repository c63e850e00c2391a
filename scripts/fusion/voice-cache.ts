/**
 * Voice features for a speech corpus in the RAVDESS labels.csv schema (file, emotion, actor columns): each clip is
 * decoded with ffmpeg to mono f32le and run through the app's own extractor (src/voice/extract.ts prosodyWindows,
 * 2 s windows, 1 s hop), then reduced to the fusion VOICE vector (src/fusion/features.ts voiceSegmentVector).
 * Cached as JSON lines under .cache/features/, keyed by the corpus directory, so re-runs only extract new clips.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { voiceSegmentVector } from '../../src/fusion/features';
import { prosodyWindows } from '../../src/voice/extract';

const run = promisify(execFile);

export interface SpeechClip {
  file: string;
  /** Corpus emotion word (neutral, calm, happy, sad, angry, fearful, disgust, surprised). */
  emotion: string;
  speaker: string;
  /** From a `sex` or `gender` column when the corpus has one. */
  sex?: 'male' | 'female';
}

export interface VoiceRecord extends SpeechClip {
  /** Raw (uncalibrated) VOICE vector; null entries were never present (NaN); null vector = no voiced window. */
  vector: (number | null)[] | null;
  windows: number;
}

/** Parses a labels.csv (quoted fields allowed) into clips; the speaker column is `actor` or `speaker`. */
export function parseSpeechLabels(csv: string): SpeechClip[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim());
  const split = (l: string) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
  const header = split(lines[0]).map((h) => h.trim().toLowerCase());
  const col = (names: string[]) => names.map((n) => header.indexOf(n)).find((i) => i >= 0) ?? -1;
  const file = col(['file', 'path']);
  const emotion = col(['emotion', 'label']);
  const speaker = col(['actor', 'speaker', 'speaker_id']);
  const sex = col(['sex', 'gender']);
  if (file < 0 || emotion < 0 || speaker < 0) throw new Error(`labels.csv needs file, emotion and actor/speaker columns (has ${header.join(', ')})`);
  return lines.slice(1).map((l) => {
    const c = split(l);
    const clip: SpeechClip = { file: c[file], emotion: c[emotion].trim().toLowerCase(), speaker: c[speaker].trim() };
    const s = sex >= 0 ? c[sex]?.trim().toLowerCase() : undefined;
    if (s === 'male' || s === 'm') clip.sex = 'male';
    else if (s === 'female' || s === 'f') clip.sex = 'female';
    return clip;
  });
}

export async function decodeMono(path: string, sampleRate = 16000): Promise<Float32Array> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', '-ar', String(sampleRate), '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 28,
  });
  const copy = new Uint8Array(stdout.byteLength);
  copy.set(stdout);
  return new Float32Array(copy.buffer);
}

/** Hash of every src/voice source file (not tests): part of the voice cache key. */
async function extractorFingerprint(): Promise<string> {
  const voiceDir = resolve(import.meta.dirname, '..', '..', 'src', 'voice');
  const files = (await readdir(voiceDir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const hash = createHash('sha1');
  for (const f of files) hash.update(f).update(await readFile(join(voiceDir, f)));
  return hash.digest('hex');
}

/** Reads cached records and extracts the missing ones (appending to the cache as it goes). */
export async function voiceFeatures(corpusDir: string, cacheDir: string, log = (_: string) => {}, cachedOnly = false): Promise<VoiceRecord[]> {
  const dir = resolve(corpusDir);
  const clips = parseSpeechLabels(await readFile(join(dir, 'labels.csv'), 'utf8'));
  // The key covers the corpus AND the extractor's source, so a change to src/voice never reuses stale features.
  const key = createHash('sha1').update(dir).update(await extractorFingerprint()).digest('hex').slice(0, 10);
  await mkdir(cacheDir, { recursive: true });
  const cacheFile = join(cacheDir, `voice-${key}.jsonl`);
  const cached = new Map<string, VoiceRecord>();
  if (existsSync(cacheFile)) {
    for (const line of (await readFile(cacheFile, 'utf8')).split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as VoiceRecord;
      cached.set(r.file, r);
    }
  }
  const out: VoiceRecord[] = [];
  let done = 0;
  const t0 = Date.now();
  for (const clip of clips) {
    let record = cached.get(clip.file);
    if (!record && cachedOnly) continue;
    if (!record) {
      const samples = await decodeMono(join(dir, clip.file));
      const windows = prosodyWindows(samples, 16000);
      const v = voiceSegmentVector(windows);
      record = { ...clip, vector: v ? Array.from(v, (x) => (Number.isFinite(x) ? x : null)) : null, windows: windows.length };
      await appendFile(cacheFile, `${JSON.stringify(record)}\n`);
      done++;
      if (done % 50 === 0) log(`voice: ${done} clips extracted (${((Date.now() - t0) / done).toFixed(0)} ms/clip)`);
    }
    out.push({ ...record, emotion: clip.emotion, speaker: clip.speaker });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const corpus = process.argv[2] ?? '../shared/data/speech/ravdess';
  const records = await voiceFeatures(corpus, '.cache/features', console.log);
  console.log(`voice: ${records.length} clips, ${records.filter((r) => r.vector).length} voiced`);
}
