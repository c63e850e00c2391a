/**
 * File-analysis rows, by running the file-analysis engineer's own tools unchanged:
 * - scripts/bench-analysis.ts (the composed stimulus video through the page's analyser) → × real time;
 * - the batch CLI (scripts/analyze.ts, `npm run analyze`) on an audio-only file and on two videos at
 *   concurrency 1 and 2 → × real time per file and aggregate (wall time incl. browser start-up).
 * bench-analysis.ts rewrites reports/bench-analysis.json; the previous file is put back afterwards so running the
 * overall benchmark does not replace that report with a shortened run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { composeStimulusVideo, type StimulusLabel } from '../../e2e/analyze-fixtures';
import { PROJECT_ROOT } from '../lib/browser';

const run = promisify(execFile);
const TSX = join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface AnalysisRow {
  what: string;
  mediaSeconds: number;
  /** Media seconds per wall second of analysis (excluding browser start-up). */
  realTimeFactor: number | null;
  /** Including browser and worker start-up (CLI wall time). */
  aggregateRealTimeFactor?: number | null;
  concurrency: number;
  backend?: string;
  error?: string;
}

function labelsFor(seconds: number): StimulusLabel[] {
  const cycle: StimulusLabel[] = ['happy', 'sad', 'angry', 'neutral', 'surprise', 'worried'];
  return Array.from({ length: Math.max(1, Math.ceil(seconds / 4)) }, (_, i) => cycle[i % cycle.length]);
}

async function tsx(args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await run(process.execPath, [TSX, ...args], { cwd: PROJECT_ROOT, timeout: timeoutMs, maxBuffer: 32 << 20 });
  return stdout;
}

async function benchAnalysisVideo(seconds: number): Promise<AnalysisRow> {
  const reportPath = join(PROJECT_ROOT, 'reports', 'bench-analysis.json');
  const previous = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : null;
  try {
    await tsx(['scripts/bench-analysis.ts', '--seconds', String(seconds), '--runs', '1', '--concurrency', '1'], 15 * 60_000);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { runs: { realTimeFactor: number; backend: string }[]; video: { seconds: number } };
    const r = report.runs[0];
    return { what: `video ${report.video.seconds} s (scripts/bench-analysis.ts)`, mediaSeconds: report.video.seconds, realTimeFactor: r.realTimeFactor, concurrency: 1, backend: r.backend };
  } finally {
    if (previous !== null) writeFileSync(reportPath, previous);
  }
}

/** Runs the batch CLI; returns per-file × real time (mean) and the aggregate including start-up. */
async function cli(what: string, files: string[], concurrency: number, mediaSeconds: number): Promise<AnalysisRow> {
  const out = join(PROJECT_ROOT, '.cache', 'bench', `cli-out-${concurrency}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const stdout = await tsx(['scripts/analyze.ts', ...files, '--out', out, '--concurrency', String(concurrency)], 15 * 60_000);
  const perFile = [...stdout.matchAll(/\(([\d.]+)× real time\)/g)].map((m) => Number(m[1]));
  const aggregate = /: ([\d.]+)× real time\s*$/m.exec(stdout);
  const failed = /✗ .*/.exec(stdout);
  return {
    what,
    mediaSeconds,
    realTimeFactor: perFile.length ? Math.round((perFile.reduce((a, b) => a + b, 0) / perFile.length) * 100) / 100 : null,
    aggregateRealTimeFactor: aggregate ? Number(aggregate[1]) : null,
    concurrency,
    error: failed ? failed[0].slice(0, 200) : undefined,
  };
}

export async function measureAnalysis(seconds: number, log: (s: string) => void): Promise<AnalysisRow[]> {
  const rows: AnalysisRow[] = [];
  const guard = async (what: string, fn: () => Promise<AnalysisRow | AnalysisRow[]>) => {
    log(`  file analysis: ${what}…`);
    try {
      const r = await fn();
      rows.push(...(Array.isArray(r) ? r : [r]));
    } catch (err) {
      rows.push({ what, mediaSeconds: seconds, realTimeFactor: null, concurrency: 1, error: String(err).slice(0, 300) });
    }
  };
  await guard(`video ${seconds} s`, () => benchAnalysisVideo(seconds));
  const labels = labelsFor(seconds);
  const audio = composeStimulusVideo(`bench-audio-${seconds}s`, { labels, video: false });
  await guard('audio-only (CLI)', () => cli(`audio-only ${audio.duration} s (CLI)`, [audio.path], 1, audio.duration));
  const video = composeStimulusVideo(`bench-${seconds}s-320p`, { labels, height: 320 });
  // Two copies (different names) so concurrency 2 has two files to share out.
  const second = join(PROJECT_ROOT, '.cache', 'bench', `bench-${seconds}s-320p-copy.mp4`);
  mkdirSync(join(PROJECT_ROOT, '.cache', 'bench'), { recursive: true });
  if (!existsSync(second)) writeFileSync(second, readFileSync(video.path));
  for (const c of [1, 2]) {
    await guard(`CLI 2 videos, concurrency ${c}`, () => cli(`2 × video ${video.duration} s (CLI)`, [video.path, second], c, 2 * video.duration));
  }
  return rows;
}
