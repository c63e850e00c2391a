/**
 * The batch CLI (scripts/analyze.ts) on the composed three-stimulus video: it drives the in-browser pipeline in
 * headless Chromium and writes the same JSON the Analyze tab exports.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { analysisResultSchema } from '../src/analysis/schema';
import { composeStimulusVideo, ROOT, writeFixture } from './analyze-fixtures';

test('npm run analyze writes schema-valid JSON per file (mp4, webm), reports unreadable files and throughput', async () => {
  test.setTimeout(240_000);
  const video = composeStimulusVideo('three-stimuli', { labels: ['happy', 'sad', 'angry'], segmentSec: 4, height: 240 });
  const dir = mkdtempSync(join(tmpdir(), 'analyze-cli-'));
  try {
    const input = join(dir, 'in');
    const out = join(dir, 'out');
    spawnSync('mkdir', ['-p', input]);
    copyFileSync(video.path, join(input, 'stimuli.mp4'));
    copyFileSync(video.srt, join(input, 'stimuli.srt')); // sibling subtitles are picked up by base name
    copyFileSync(writeFixture('cli-notes.mp4', 'not a video\n'.repeat(100)), join(input, 'notes.mp4'));
    // The same stimuli as WebM (VP9 + Opus), the other container the tab accepts.
    spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', video.path, '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', '-c:a', 'libopus', join(input, 'stimuli-vp9.webm')]);
    const run = spawnSync('npx', ['tsx', 'scripts/analyze.ts', input, '--out', out, '--concurrency', '2', '--fps', '5'], {
      cwd: ROOT, encoding: 'utf8', timeout: 220_000,
    });
    expect(run.status, run.stderr).toBe(1); // one of the two files is unreadable
    expect(run.stdout).toMatch(/✓ .*stimuli\.mp4: 6 segments/);
    expect(run.stdout).toMatch(/✗ .*notes\.mp4: unreadable: .*could not be opened as audio or video/);
    expect(run.stdout).toMatch(/✓ .*stimuli-vp9\.webm: 6 segments/);
    expect(run.stdout).toMatch(/2\/3 files, 24\.\d s of media .* with concurrency 2: [\d.]+× real time/);
    const webm = JSON.parse(readFileSync(join(out, 'stimuli-vp9.emotions.json'), 'utf8'));
    expect(webm.file.hasVideo && webm.file.hasAudio).toBe(true);
    expect(webm.segments.filter((g: { face: { presence: number } }) => g.face.presence === 1)).toHaveLength(6);

    const json = JSON.parse(readFileSync(join(out, 'stimuli.emotions.json'), 'utf8'));
    expect(analysisResultSchema.safeParse(json).success).toBe(true);
    expect(json.schemaVersion).toBe(1);
    expect(json.partial).toBe(false);
    expect(json.transcriptSource).toBe('subtitle-file');
    expect(json.segments.map((s: { start: number }) => s.start)).toEqual([0, 2, 4, 6, 8, 10]);
    // The three stimuli: their two segments carry the stimulus' subtitle line and a face; the model (whatever is
    // deployed) reads the stimulus class in at least one segment of at least two of the three stimuli.
    let recognised = 0;
    for (const s of video.stimuli) {
      const inside = json.segments.filter((g: { start: number }) => g.start >= s.start && g.start < s.end);
      expect(inside.map((g: { transcript: string }) => g.transcript)).toEqual([s.line, s.line]);
      if (inside.some((g: { label: string }) => g.label === s.label)) recognised++;
      for (const g of inside) expect(g.face.presence).toBe(1);
    }
    expect(recognised, JSON.stringify(json.segments.map((g: { label: string }) => g.label))).toBeGreaterThanOrEqual(2);
    const error = JSON.parse(readFileSync(join(out, 'notes.error.json'), 'utf8'));
    expect(error.code).toBe('unreadable');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
