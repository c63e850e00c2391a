/**
 * Headless-browser plumbing shared by the Node scripts (feature extraction, peer evaluation, batch CLI,
 * benchmarks, fusion training): a Vite dev server on the project's own config, and Debian's Chromium
 * driven by Playwright with the flags that work on this CPU-only machine.
 *
 * @example
 *   const server = await startViteServer();
 *   const browser = await launchChromium({ webgpu: true });
 *   const page = await openPage(browser, `${server.url}/scripts/face/extract.html`);
 *   // ... page.evaluate(...)
 *   await browser.close(); await server.close();
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { BASE_CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-flags';

export { CHROMIUM_PATH };

/** Project root (where vite.config.ts lives). */
export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Debian's Chromium; Playwright's bundled browsers are not downloadable here. */

export interface ViteServerHandle {
  /** Origin without trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts Vite's dev server with the project's vite.config.ts (root = project root) on 127.0.0.1.
 * Any html under the root is served (e.g. `/scripts/face/extract.html`), with `?url`/wasm imports working.
 * @param options.port fixed port; default: a free one.
 * @param options.optimizeEntries html/ts files (relative to root) whose imports Vite pre-bundles at start, so a
 *   page is not reloaded mid-run when Vite discovers a dependency late. Default: the config's own entries.
 */
export async function startViteServer(
  options: { port?: number; optimizeEntries?: string[] } = {},
): Promise<ViteServerHandle> {
  const { createServer } = await import('vite');
  const port = options.port ?? (await freePort());
  const server = await createServer({
    root: PROJECT_ROOT,
    configFile: resolve(PROJECT_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    ...(options.optimizeEntries ? { optimizeDeps: { entries: options.optimizeEntries } } : {}),
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null, open: false },
  });
  await server.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => server.close(),
  };
}

export interface ChromiumOptions {
  /** Expose WebGPU (SwiftShader Vulkan on this machine) via --enable-unsafe-webgpu. Default false. */
  webgpu?: boolean;
  /** A .y4m or .mjpeg file served as the fake camera. Also turns on fake media devices. */
  fakeVideo?: string;
  /** A .wav file served as the fake microphone. Also turns on fake media devices. */
  fakeAudio?: string;
  /** Default true. */
  headless?: boolean;
}

/**
 * Chromium command-line flags for the given options. Measured here (Chromium 156, no GPU): with
 * --enable-unsafe-webgpu, requestAdapter() returns the SwiftShader adapter with or without --disable-gpu
 * (pages must be a secure context: http://127.0.0.1 is, data: URLs are not). --disable-gpu is left out so
 * WebGL2 (SwiftShader) stays available to tfjs-webgl and MediaPipe's GPU delegate.
 */
export function chromiumArgs(options: ChromiumOptions = {}): string[] {
  const args = [...BASE_CHROMIUM_ARGS];
  if (options.webgpu) args.push('--enable-unsafe-webgpu');
  if (options.fakeVideo || options.fakeAudio) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required');
  }
  if (options.fakeVideo) args.push(`--use-file-for-fake-video-capture=${resolve(options.fakeVideo)}`);
  if (options.fakeAudio) args.push(`--use-file-for-fake-audio-capture=${resolve(options.fakeAudio)}`);
  return args;
}

/** Launches /usr/bin/chromium through Playwright. */
export async function launchChromium(options: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    args: chromiumArgs(options),
  });
}

/** Sends the page's console errors and uncaught exceptions to stderr, prefixed with `tag`. */
export function forwardPageErrors(page: Page, tag = 'page'): void {
  page.on('console', (message) => {
    if (message.type() === 'error') process.stderr.write(`[${tag} console.error] ${message.text()}\n`);
  });
  page.on('pageerror', (error) => process.stderr.write(`[${tag} pageerror] ${error.stack ?? error.message}\n`));
}

/** New page with error forwarding, navigated to `url` (waits for `load`). */
export async function openPage(browser: Browser, url: string, tag = 'page'): Promise<Page> {
  const page = await browser.newPage();
  forwardPageErrors(page, tag);
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.json': 'application/json',
  '.bin': 'application/octet-stream', '.wasm': 'application/wasm', '.flac': 'audio/flac', '.wav': 'audio/wav',
  '.mp4': 'video/mp4', '.webm': 'video/webm', '.vtt': 'text/vtt', '.srt': 'text/plain',
};

/**
 * Serves a local directory to the page under `${origin}${urlPrefix}` via a Playwright route, so datasets and
 * model folders outside the Vite root are readable without copying them. Paths escaping `dir` get 403.
 * @example await serveDirectory(page, server.url, '/__data/', '../shared/data')
 */
export async function serveDirectory(page: Page, origin: string, urlPrefix: string, dir: string): Promise<void> {
  const base = resolve(dir);
  const prefix = urlPrefix.endsWith('/') ? urlPrefix : `${urlPrefix}/`;
  await page.route(`${origin}${prefix}**`, async (route) => {
    const relative = decodeURIComponent(new URL(route.request().url()).pathname.slice(prefix.length));
    const file = resolve(base, relative);
    if (file !== base && !file.startsWith(base + sep)) return route.fulfill({ status: 403, body: 'outside served dir' });
    try {
      if (!(await stat(file)).isFile()) return route.fulfill({ status: 404, body: 'not a file' });
      const body = await readFile(file);
      return route.fulfill({
        status: 200,
        body,
        headers: { 'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', 'cache-control': 'no-store' },
      });
    } catch {
      return route.fulfill({ status: 404, body: 'not found' });
    }
  });
}
