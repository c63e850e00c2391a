/**
 * Cold start of the production build: `vite build` → dist/, served by Vite's preview server, loaded in a fresh
 * persistent browser profile (empty disk cache) and again in the same profile (warm HTTP cache). A persistent
 * profile matters: an ordinary Playwright context keeps an in-memory cache that does not keep entries as large as
 * MediaPipe's 12 MB wasm, which would make the warm load look like a cold one. Records time to the first
 * prediction (backend chosen + one reasoner call through the inference worker, via the page's debug surface),
 * time from "Start" to the first live reading on the fake camera, and bytes transferred by kind (JS, wasm, models)
 * from Playwright's request sizes (workers' requests included).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Request } from '@playwright/test';
import { CHROMIUM_PATH, chromiumArgs, freePort, PROJECT_ROOT, type ChromiumOptions } from '../lib/browser';

const run = promisify(execFile);

export interface ColdStartRow {
  cache: 'empty' | 'warm';
  firstPredictionMs: number;
  firstLiveReadingMs: number | null;
  bytes: Record<'js' | 'wasm' | 'models' | 'other', number>;
  requests: number;
  backend: string;
  error?: string;
}

function kind(url: string): 'js' | 'wasm' | 'models' | 'other' {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (/\/models\//.test(path) || path.endsWith('.task') || path.endsWith('.bin')) return 'models';
  if (/\.(m?js)$/.test(path)) return 'js';
  return 'other';
}

export async function buildProduction(reuse: boolean, log: (s: string) => void): Promise<void> {
  if (reuse && existsSync(join(PROJECT_ROOT, 'dist', 'index.html'))) {
    log('  cold start: reusing dist/ (--quick)');
    return;
  }
  log('  cold start: npx vite build…');
  await run(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: PROJECT_ROOT, timeout: 10 * 60_000, maxBuffer: 32 << 20 });
}

export async function startPreview(): Promise<{ url: string; close(): Promise<void> }> {
  const { preview } = await import('vite');
  const port = await freePort();
  const server = await preview({ root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}

/** Two loads in one fresh persistent profile (empty, then warm cache), with the fake camera of `media`. */
export async function measureColdStart(origin: string, backend: string, media: Pick<ChromiumOptions, 'fakeVideo' | 'fakeAudio'>): Promise<ColdStartRow[]> {
  const profile = mkdtempSync(join(tmpdir(), 'emotion-lens-coldstart-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs({ webgpu: true, ...media }) });
  const rows: ColdStartRow[] = [];
  try {
    for (const cache of ['empty', 'warm'] as const) {
      const page = await context.newPage();
      const bytes = { js: 0, wasm: 0, models: 0, other: 0 };
      let requests = 0;
      const pending: Promise<void>[] = [];
      const onFinished = (request: Request) => {
        pending.push(
          request.sizes().then(
            (s) => {
              requests++;
              bytes[kind(request.url())] += s.responseBodySize + s.responseHeadersSize;
            },
            () => undefined,
          ),
        );
      };
      page.on('requestfinished', onFinished);
      try {
        const t0 = Date.now();
        await page.goto(`${origin}/?backend=${backend}`);
        const backendName = await page.evaluate(async () => {
          const w = globalThis as unknown as { emotionLens?: { predictReasoner(i: unknown[]): Promise<unknown>; status(): Promise<{ backend: string } | null> } };
          for (let i = 0; i < 600 && !w.emotionLens; i++) await new Promise((r) => setTimeout(r, 50));
          await w.emotionLens!.predictReasoner([{ face: new Float32Array(17).fill(0.2), voice: null, text: null }]);
          return (await w.emotionLens!.status())?.backend ?? '?';
        });
        const firstPredictionMs = Date.now() - t0;
        let firstLiveReadingMs: number | null = null;
        const t1 = Date.now();
        await page.click('#live-start');
        await page.locator('#emotion-label').filter({ hasNotText: '—' }).waitFor({ timeout: 120_000 });
        firstLiveReadingMs = Date.now() - t1;
        await page.click('#live-stop').catch(() => undefined);
        await Promise.all(pending);
        rows.push({ cache, firstPredictionMs, firstLiveReadingMs, bytes, requests, backend: backendName });
      } catch (err) {
        await Promise.all(pending);
        rows.push({ cache, firstPredictionMs: Number.NaN, firstLiveReadingMs: null, bytes, requests, backend: 'failed', error: String(err).slice(0, 300) });
      } finally {
        page.off('requestfinished', onFinished);
        await page.close();
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return rows;
}
