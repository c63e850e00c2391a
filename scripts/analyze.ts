/**
 * Batch file analysis: drives the SAME in-browser pipeline as the Analyze tab (src/analysis/pipeline.ts) in
 * headless Chromium and writes one JSON per file (schema: docs/analysis-json.md).
 *
 *   npm run analyze -- <files or folders> --out <dir> [--concurrency N] [--fps 5] [--segment 2] [--no-priors]
 *                      [--backend webgpu|wasm|cpu] [--timeout-min 30]
 *
 * A subtitle file next to a media file with the same base name (clip.srt / clip.vtt) is used as its transcript.
 * With --concurrency N, N pages analyse files in parallel; the run prints throughput as × real time.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { analysisResultSchema } from '../src/analysis/schema';
import type { AnalysisResult } from '../src/analysis/types';
import { launchChromium, openPage, startViteServer } from './lib/browser';

const MEDIA_EXT = new Set(['.mp4', '.m4v', '.webm', '.mov', '.mkv', '.ogv', '.wav', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.flac']);

export interface CliOptions {
  inputs: string[];
  out: string;
  concurrency: number;
  fps: number;
  segmentSec: number;
  priors: boolean;
  backend?: string;
  timeoutMin: number;
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { inputs: [], out: '', concurrency: 1, fps: 5, segmentSec: 2, priors: true, timeoutMin: 30 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') o.out = next();
    else if (a === '--concurrency') o.concurrency = Math.max(1, Math.floor(Number(next())));
    else if (a === '--fps') o.fps = Number(next());
    else if (a === '--segment') o.segmentSec = Number(next());
    else if (a === '--no-priors') o.priors = false;
    else if (a === '--backend') o.backend = next();
    else if (a === '--timeout-min') o.timeoutMin = Number(next());
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run analyze -- <files or folders> --out <dir> [--concurrency N] [--fps 5] [--segment 2] [--no-priors] [--backend wasm]');
      process.exit(0);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.inputs.push(a);
  }
  if (!o.out) throw new Error('--out <dir> is required');
  if (o.inputs.length === 0) throw new Error('give at least one file or folder');
  if (!Number.isFinite(o.concurrency) || o.concurrency < 1) throw new Error('--concurrency must be ≥ 1');
  return o;
}

/** Media files among the inputs (folders are walked recursively), in a stable order. */
export function collectMedia(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else if (MEDIA_EXT.has(extname(p).toLowerCase())) out.push(resolve(p));
  };
  for (const i of inputs) {
    if (!existsSync(i)) throw new Error(`not found: ${i}`);
    // A file named explicitly is analysed whatever its extension (the pipeline reports what it cannot read).
    if (statSync(i).isFile()) out.push(resolve(i));
    else walk(i);
  }
  return [...new Set(out)];
}

function siblingSubtitles(media: string): string | null {
  const stem = media.slice(0, media.length - extname(media).length);
  for (const ext of ['.srt', '.vtt']) if (existsSync(stem + ext)) return stem + ext;
  return null;
}

type PageOutcome = { result: AnalysisResult; diagnostics: Record<string, unknown> } | { error: string; code: string };

async function analyseOnPage(page: Page, file: string, o: CliOptions): Promise<PageOutcome> {
  const subtitles = siblingSubtitles(file);
  await page.setInputFiles('#analyze-cli-file', subtitles ? [file, subtitles] : [file]);
  return page.evaluate(
    ([opts, timeoutMs]) => {
      const w = globalThis as unknown as { emotionLensAnalyzeInput(sel: string, o: unknown): Promise<PageOutcome> };
      return Promise.race([
        w.emotionLensAnalyzeInput('#analyze-cli-file', opts),
        new Promise<PageOutcome>((resolveTimeout) => setTimeout(() => resolveTimeout({ error: `timed out after ${timeoutMs / 60000} min`, code: 'timeout' }), timeoutMs)),
      ]);
    },
    [{ fps: o.fps, segmentSec: o.segmentSec, priors: o.priors }, o.timeoutMin * 60_000] as const,
  );
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const o = parseArgs(argv);
  const files = collectMedia(o.inputs);
  if (files.length === 0) {
    console.error('no media files found');
    return 2;
  }
  mkdirSync(o.out, { recursive: true });
  const server = await startViteServer();
  const browser = await launchChromium({ webgpu: true });
  const t0 = performance.now();
  let mediaSeconds = 0;
  let failures = 0;
  try {
    const query = o.backend ? `?backend=${encodeURIComponent(o.backend)}` : '';
    const queue = [...files];
    const worker = async (n: number) => {
      const page = await openPage(browser, `${server.url}/${query}#analyze`, `page${n}`);
      await page.waitForFunction(() => 'emotionLensAnalyzeInput' in globalThis, undefined, { timeout: 120_000 });
      for (let file = queue.shift(); file; file = queue.shift()) {
        const started = performance.now();
        const outcome = await analyseOnPage(page, file, o).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e), code: 'page-failed' }));
        const name = basename(file, extname(file));
        if ('error' in outcome) {
          failures++;
          writeFileSync(join(o.out, `${name}.error.json`), `${JSON.stringify({ file, ...outcome }, null, 2)}\n`);
          console.log(`✗ ${file}: ${outcome.code}: ${outcome.error}`);
          continue;
        }
        const checked = analysisResultSchema.safeParse(outcome.result);
        if (!checked.success) {
          failures++;
          console.log(`✗ ${file}: result does not match the schema: ${checked.error.message.slice(0, 400)}`);
          continue;
        }
        writeFileSync(join(o.out, `${name}.emotions.json`), `${JSON.stringify(outcome.result, null, 2)}\n`);
        mediaSeconds += outcome.result.file.duration;
        const r = outcome.result;
        const secs = (performance.now() - started) / 1000;
        console.log(`✓ ${file}: ${r.segments.length} segments, ${r.file.duration.toFixed(1)} s in ${secs.toFixed(1)} s (${(r.file.duration / secs).toFixed(2)}× real time)${r.partial ? ' PARTIAL' : ''}${r.warnings.length ? ` — ${r.warnings.map((w) => w.code).join(', ')}` : ''}`);
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, files.length) }, (_, n) => worker(n)));
  } finally {
    await browser.close();
    await server.close();
  }
  const wall = (performance.now() - t0) / 1000;
  console.log(`${files.length - failures}/${files.length} files, ${mediaSeconds.toFixed(1)} s of media in ${wall.toFixed(1)} s wall (incl. start-up) with concurrency ${o.concurrency}: ${(mediaSeconds / wall).toFixed(2)}× real time`);
  return failures ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('analyze.ts')) {
  main().then((code) => process.exit(code), (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
}
