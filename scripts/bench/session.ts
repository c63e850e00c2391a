/**
 * One headless Chromium + Vite dev server session for the benchmarks and the soak, with the bench page open.
 */
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { join } from 'node:path';
import { CHROMIUM_PATH, chromiumArgs, forwardPageErrors, PROJECT_ROOT, serveDirectory, startViteServer, type ChromiumOptions, type ViteServerHandle } from '../lib/browser';

export interface BenchSession {
  server: ViteServerHandle;
  browser: Browser;
  /** Uncaught page errors seen so far (benchmarks report them; the soak fails on them). */
  errors: string[];
  openBenchPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Extra flags: precise heap numbers and gc() (for sampling heaps after a collection). */
export const MEMORY_ARGS = ['--enable-precise-memory-info', '--js-flags=--expose-gc'];

export async function startBenchSession(options: ChromiumOptions & { extraArgs?: string[] } = {}): Promise<BenchSession> {
  const server = await startViteServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...chromiumArgs({ webgpu: true, ...options }), ...MEMORY_ARGS, ...(options.extraArgs ?? [])],
  });
  const errors: string[] = [];
  return {
    server,
    browser,
    errors,
    async openBenchPage() {
      const page = await browser.newPage();
      forwardPageErrors(page, 'bench');
      page.on('pageerror', (e) => errors.push(e.message));
      // Generated media (fixtures) for the page, e.g. the speech clip the prosody timing decodes.
      await serveDirectory(page, server.url, '/__bench-media/', join(PROJECT_ROOT, '.cache', 'bench'));
      await page.goto(`${server.url}/scripts/bench/bench.html`);
      await page.waitForFunction(() => 'emotionLensBench' in globalThis, undefined, { timeout: 120_000 });
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
    },
  };
}
