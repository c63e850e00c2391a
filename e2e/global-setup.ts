/**
 * Generates the e2e media fixtures from ../shared/data (never committed): a Taiwanese performer's posed face as a
 * Y4M fake camera stream and a RAVDESS clip of the same emotion as a WAV fake microphone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, ravdessClip, ROOT } from './analyze-fixtures';

export { DATA, ROOT } from './analyze-fixtures';
export const FIXTURES = join(ROOT, 'fixtures');

function ffmpeg(args: string[]) {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
}

export default function globalSetup() {
  mkdirSync(FIXTURES, { recursive: true });
  const face = join(DATA, 'faces', 'taiwanese', 'images', '0111b02.jpg');
  const y4m = join(FIXTURES, 'face-happy.y4m');
  if (!existsSync(y4m)) {
    // A still face held for 4 s at 15 fps; padded to 640×480 like a webcam. Chromium loops the file.
    ffmpeg(['-loop', '1', '-i', face, '-t', '4', '-r', '15', '-vf', 'scale=360:360,pad=640:480:140:60:gray', '-pix_fmt', 'yuv420p', y4m]);
  }
  const wav = join(FIXTURES, 'speech-happy.wav');
  if (!existsSync(wav)) ffmpeg(['-i', ravdessClip('happy'), '-ar', '48000', '-ac', '1', '-c:a', 'pcm_s16le', wav]);
  const blank = join(FIXTURES, 'no-face.y4m');
  if (!existsSync(blank)) ffmpeg(['-f', 'lavfi', '-i', 'color=c=gray:s=640x480:r=15', '-t', '2', '-pix_fmt', 'yuv420p', blank]);
}
