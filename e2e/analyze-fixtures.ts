/**
 * Test media for the file-analysis specs, the batch CLI spec and the benchmark, composed at test time with ffmpeg
 * from ../shared/data (never committed): each stimulus segment is a posed face image of ONE Taiwanese performer
 * held still, a RAVDESS clip of the same class (padded with silence) and a matching subtitle line.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const DATA = resolve(process.env.DATA_DIR ?? join(ROOT, '..', 'shared', 'data'));
export const ANALYSIS_FIXTURES = join(ROOT, '.cache', 'analysis-fixtures');

export type StimulusLabel = 'neutral' | 'happy' | 'sad' | 'angry' | 'worried' | 'surprise';

/** Per class: Taiwanese expression letter, RAVDESS emotion word, subtitle line. */
const STIMULI: Record<StimulusLabel, { letter: string; ravdess: string; line: string }> = {
  neutral: { letter: 'a', ravdess: 'neutral', line: 'The meeting starts at three and ends at four.' },
  happy: { letter: 'b', ravdess: 'happy', line: 'I am so happy, this is wonderful news!' },
  sad: { letter: 'c', ravdess: 'sad', line: 'I feel so sad and lonely, I miss her terribly.' },
  angry: { letter: 'd', ravdess: 'angry', line: 'This is outrageous, I am furious with you!' },
  worried: { letter: 'f', ravdess: 'fearful', line: 'I am scared that something terrible will happen.' },
  surprise: { letter: 'g', ravdess: 'surprised', line: 'Wow, I did not expect that at all!' },
};

function ffmpeg(args: string[]) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** First image of `performer` with the expression letter (file name PP T V L NN). */
export function faceImage(label: StimulusLabel, performer = '01'): string {
  const dir = join(DATA, 'faces', 'taiwanese', 'images');
  const name = readdirSync(dir).sort().find((f) => f.startsWith(performer) && f[4] === STIMULI[label].letter);
  if (!name) throw new Error(`no Taiwanese image of performer ${performer} for ${label}`);
  return join(dir, name);
}

/** A RAVDESS clip of the class (strong intensity, statement 1; the `n`-th actor in file order). */
export function ravdessClip(label: StimulusLabel, n = 0): string {
  const rows = readFileSync(join(DATA, 'speech', 'ravdess', 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  const want = STIMULI[label].ravdess;
  const matches = rows.filter((c) => c[3] === want && (want === 'neutral' || c[4] === 'strong') && c[5] === '01');
  if (!matches.length) throw new Error(`no RAVDESS clip for ${want}`);
  return join(DATA, 'speech', 'ravdess', matches[n % matches.length][0]);
}

export interface ComposeOptions {
  labels: StimulusLabel[];
  /** Seconds per stimulus (default 4). */
  segmentSec?: number;
  /** Frame height (default 320); width is 4:3. */
  height?: number;
  /** Indices of stimuli whose picture is an empty grey frame (the face leaves). */
  noFace?: number[];
  audio?: 'speech' | 'silence' | 'none';
  video?: boolean;
  fps?: number;
}

export interface ComposedMedia {
  path: string;
  srt: string;
  duration: number;
  /** Stimulus boundaries [start, end, label]. */
  stimuli: { start: number; end: number; label: StimulusLabel; line: string }[];
}

function srtTime(s: number): string {
  const ms = Math.round(s * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)},${p(ms % 1000, 3)}`;
}

/** Composes (once; cached by name under .cache/analysis-fixtures) an mp4 (or m4a/wav when video is false). */
export function composeStimulusVideo(name: string, o: ComposeOptions): ComposedMedia {
  const seg = o.segmentSec ?? 4;
  const h = o.height ?? 320;
  const w = Math.round((h * 4) / 3 / 2) * 2;
  const face = Math.round(h * 0.75 / 2) * 2;
  const fps = o.fps ?? 25;
  const video = o.video ?? true;
  const audio = o.audio ?? 'speech';
  mkdirSync(ANALYSIS_FIXTURES, { recursive: true });
  const ext = video ? 'mp4' : 'wav';
  const path = join(ANALYSIS_FIXTURES, `${name}.${ext}`);
  const srt = join(ANALYSIS_FIXTURES, `${name}.srt`);
  const stimuli = o.labels.map((label, i) => ({ start: i * seg, end: (i + 1) * seg, label, line: STIMULI[label].line }));
  writeFileSync(srt, stimuli.map((s, i) => `${i + 1}\n${srtTime(s.start + 0.2)} --> ${srtTime(s.end - 0.2)}\n${s.line}\n`).join('\n'));
  if (existsSync(path)) return { path, srt, duration: stimuli.length * seg, stimuli };

  const work = join(ANALYSIS_FIXTURES, `${name}.parts`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const parts: string[] = [];
  o.labels.forEach((label, i) => {
    const part = join(work, `${i}.${video ? 'mp4' : 'wav'}`);
    const args: string[] = [];
    if (video) {
      if (o.noFace?.includes(i)) args.push('-f', 'lavfi', '-i', `color=c=gray:s=${w}x${h}:r=${fps}`);
      else args.push('-loop', '1', '-framerate', String(fps), '-i', faceImage(label));
    }
    if (audio === 'speech') args.push('-i', ravdessClip(label, i));
    else if (audio === 'silence') args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=mono');
    const filters: string[] = [];
    const maps: string[] = [];
    if (video) {
      filters.push(o.noFace?.includes(i) ? '[0:v]format=yuv420p[v]' : `[0:v]scale=${face}:${face},pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:gray,format=yuv420p[v]`);
      maps.push('-map', '[v]');
    }
    if (audio !== 'none') {
      const ai = video ? 1 : 0;
      filters.push(`[${ai}:a]aresample=48000,aformat=channel_layouts=mono,apad,atrim=0:${seg}[a]`);
      maps.push('-map', '[a]');
    }
    const codecs = video ? ['-c:v', 'libx264', '-preset', 'veryfast', '-r', String(fps), ...(audio !== 'none' ? ['-c:a', 'aac', '-b:a', '96k'] : [])] : ['-c:a', 'pcm_s16le'];
    ffmpeg([...args, '-filter_complex', filters.join(';'), ...maps, ...codecs, '-t', String(seg), part]);
    parts.push(part);
  });
  const list = join(work, 'list.txt');
  writeFileSync(list, parts.map((p) => `file '${p}'`).join('\n'));
  ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', ...(video ? ['-movflags', '+faststart'] : []), path]);
  rmSync(work, { recursive: true, force: true });
  return { path, srt, duration: stimuli.length * seg, stimuli };
}

/** A long, tiny video (64×48 test pattern at 5 fps, silent audio track) for duration and cancel checks. */
export function composeLongVideo(name: string, seconds: number): string {
  mkdirSync(ANALYSIS_FIXTURES, { recursive: true });
  const path = join(ANALYSIS_FIXTURES, `${name}.mp4`);
  if (!existsSync(path)) {
    ffmpeg(['-f', 'lavfi', '-i', `testsrc=s=64x48:r=5:d=${seconds}`, '-f', 'lavfi', '-i', `anullsrc=r=16000:cl=mono:d=${seconds}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart', '-shortest', path]);
  }
  return path;
}

/** The first `fraction` of a file's bytes (a download cut short). */
export function truncatedCopy(source: string, name: string, fraction: number): string {
  const bytes = readFileSync(source);
  const path = join(ANALYSIS_FIXTURES, name);
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * fraction)));
  return path;
}

/** Writes `text` to a fixture file (zero-byte or renamed non-media files). */
export function writeFixture(name: string, content: string | Buffer): string {
  mkdirSync(ANALYSIS_FIXTURES, { recursive: true });
  const path = join(ANALYSIS_FIXTURES, name);
  writeFileSync(path, content);
  return path;
}

/**
 * Runs `start` (which begins an analysis on the Analyze tab) and waits for a terminal status of #analyze-status.
 * The specs use their own Vite server without HMR or file watching (scripts/lib/browser.ts startViteServer), so
 * edits elsewhere in the checkout cannot reload the page mid-analysis.
 */
export async function analyseOnTab(page: import('@playwright/test').Page, start: () => Promise<void>, timeoutMs = 90_000): Promise<string> {
  await page.waitForFunction(() => 'emotionLensAnalyzeInput' in globalThis, undefined, { timeout: 60_000 });
  await start();
  const state = await page.waitForFunction(
    () => {
      const s = document.getElementById('analyze-status')?.dataset.state;
      return s && s !== 'running' && s !== 'idle' ? s : null;
    },
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
  return (await state.jsonValue()) as string;
}
