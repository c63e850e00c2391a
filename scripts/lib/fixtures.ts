/**
 * Deterministic media fixtures for e2e tests and benchmarks, generated at test time from ../shared/data with
 * ffmpeg (never committed): fake-camera files for Chromium, WAV for the fake microphone, and labelled
 * multimodal test videos (one Taiwanese face per segment + a RAVDESS clip of the same class + a subtitle line),
 * as ../shared/README.md prescribes since no paired audio-visual clips exist.
 *
 * @example
 *   const images = '../shared/data/faces/taiwanese/images';
 *   const { video, vtt, segments } = await composeVideo(
 *     [{ image: `${images}/0111b02.jpg`, audio: ravdessClip('happy'), text: SUBTITLE_LINES.happy, label: 'happy' }],
 *     '.cache/fixtures/one', { fps: 25, size: [640, 480], format: 'webm' });
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Label } from '../../src/shared/labels';
import { cuesToVtt, type Cue } from '../../src/text/subtitles';

const run = promisify(execFile);

/** Frame size: a square side or [width, height]. */
export type FrameSize = number | [number, number];

function dimensions(size: FrameSize): [number, number] {
  const [w, h] = typeof size === 'number' ? [size, size] : size;
  // yuv420p needs even sizes.
  return [Math.max(2, Math.round(w / 2) * 2), Math.max(2, Math.round(h / 2) * 2)];
}

/** Scale the still to fit, centred on mid-grey (the face keeps its aspect ratio). */
function fitFilter(size: FrameSize): string {
  const [w, h] = dimensions(size);
  return `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=gray,setsar=1`;
}

async function ffmpeg(args: string[]): Promise<void> {
  await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-threads', '1', ...args], { maxBuffer: 16 << 20 });
}

/** Duration of a media file in seconds (ffprobe). */
export async function mediaDuration(path: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
  const seconds = Number(stdout.trim());
  if (!Number.isFinite(seconds)) throw new Error(`mediaDuration: no duration for ${path}`);
  return seconds;
}

export interface StillVideoOptions {
  /** Default 5. */
  seconds?: number;
  /** Default 30. */
  fps?: number;
  /** Default [640, 480]. */
  size?: FrameSize;
}

/** A still face held for `seconds`, as Y4M (4:2:0) for `--use-file-for-fake-video-capture`. Returns outPath. */
export async function faceVideoY4m(imagePath: string, outPath: string, options: StillVideoOptions = {}): Promise<string> {
  const { seconds = 5, fps = 30, size = [640, 480] } = options;
  mkdirSync(dirname(resolve(outPath)), { recursive: true });
  await ffmpeg(['-loop', '1', '-framerate', String(fps), '-i', imagePath, '-t', String(seconds), '-vf', fitFilter(size),
    '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', outPath]);
  return outPath;
}

/** Mono 16-bit PCM WAV (for `--use-file-for-fake-audio-capture` or decoding tests). Default 48 kHz. */
export async function wavFromFlac(flacPath: string, outPath: string, options: { sampleRate?: number } = {}): Promise<string> {
  mkdirSync(dirname(resolve(outPath)), { recursive: true });
  await ffmpeg(['-i', flacPath, '-ac', '1', '-ar', String(options.sampleRate ?? 48000), '-c:a', 'pcm_s16le', outPath]);
  return outPath;
}

export interface ComposeSegment {
  /** Face still shown for the whole segment. */
  image: string;
  /** Audio clip; its duration (rounded to whole frames) is the segment's duration. */
  audio: string;
  /** Subtitle line of the segment. */
  text: string;
  /** Ground-truth class carried into the result (default ''). */
  label?: string;
}

export interface ComposedVideo {
  video: string;
  srt: string;
  vtt: string;
  /** Seconds, contiguous from 0. */
  segments: { start: number; end: number; label: string }[];
}

function srtTimestamp(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (v: number, n = 2) => String(v).padStart(n, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

export function cuesToSrt(cues: readonly Cue[]): string {
  return cues.map((c, i) => `${i + 1}\n${srtTimestamp(c.start)} --> ${srtTimestamp(c.end)}\n${c.text.replace(/\n\s*\n/g, '\n')}\n`).join('\n');
}

/**
 * Concatenates segments into one labelled test video (H.264/AAC mp4 or VP8/Opus webm, 48 kHz audio) plus
 * matching .srt and .vtt (one cue per segment). Files are `<outDir>/video.<format>`, `subtitles.srt|vtt`.
 */
export async function composeVideo(
  segments: ComposeSegment[],
  outDir: string,
  options: { fps?: number; size?: FrameSize; format?: 'mp4' | 'webm' } = {},
): Promise<ComposedVideo> {
  if (!segments.length) throw new Error('composeVideo: no segments');
  const { fps = 25, size = [640, 480], format = 'mp4' } = options;
  mkdirSync(outDir, { recursive: true });
  const durations = await Promise.all(segments.map(async (s) => Math.max(1, Math.round((await mediaDuration(s.audio)) * fps)) / fps));
  const inputs: string[] = [];
  const chains: string[] = [];
  segments.forEach((segment, i) => {
    const d = durations[i].toFixed(6);
    inputs.push('-loop', '1', '-framerate', String(fps), '-t', d, '-i', segment.image, '-i', segment.audio);
    chains.push(`[${2 * i}:v]${fitFilter(size)},fps=${fps},format=yuv420p,trim=duration=${d},setpts=PTS-STARTPTS[v${i}]`);
    chains.push(`[${2 * i + 1}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=mono,apad,atrim=duration=${d},asetpts=PTS-STARTPTS[a${i}]`);
  });
  const concatInputs = segments.map((_, i) => `[v${i}][a${i}]`).join('');
  const filter = `${chains.join(';')};${concatInputs}concat=n=${segments.length}:v=1:a=1[v][a]`;
  const video = join(outDir, `video.${format}`);
  const codecs = format === 'mp4'
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart']
    : ['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-c:a', 'libopus', '-b:a', '64k'];
  await ffmpeg([...inputs, '-filter_complex', filter, '-map', '[v]', '-map', '[a]', '-r', String(fps), ...codecs, video]);

  let t = 0;
  const timed = segments.map((s, i) => {
    const start = t;
    t += durations[i];
    return { start: Math.round(start * 1000) / 1000, end: Math.round(t * 1000) / 1000, label: s.label ?? '', text: s.text };
  });
  const cues: Cue[] = timed.map(({ start, end, text }) => ({ start, end, text }));
  const srt = join(outDir, 'subtitles.srt');
  const vtt = join(outDir, 'subtitles.vtt');
  writeFileSync(srt, cuesToSrt(cues));
  writeFileSync(vtt, cuesToVtt(cues));
  return { video, srt, vtt, segments: timed.map(({ start, end, label }) => ({ start, end, label })) };
}

/** One subtitle line per class whose wording carries the emotion (for the text branch). */
export const SUBTITLE_LINES: Record<Label, string> = {
  neutral: 'The meeting is on Tuesday at three, in the usual room.',
  angry: 'This is outrageous, I am furious that you lied to me again!',
  happy: 'I am so happy, this is the best news I have heard all year!',
  sad: 'I miss her so much, everything feels empty and hopeless now.',
  worried: 'I am scared something terrible is going to happen to them.',
  surprise: 'Wow, I did not expect that at all, what a surprise!',
};
