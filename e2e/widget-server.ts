/**
 * For the widget e2e: builds the widget once (vite.widget.config.ts → dist/widget) and serves it from a tiny static
 * server together with plain pages that use it through ONE <script> tag — no dev server, no build step in the page.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { ROOT } from './global-setup';

export const WIDGET_DIST = join(ROOT, 'dist', 'widget');

export function buildWidget(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '-c', 'vite.widget.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.task': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.mp4': 'video/mp4',
  '.css': 'text/css',
};

/** Serves `/widget/*` from dist/widget, `/media/*` from `mediaDir`, and the given pages at their paths. */
export async function serveWidget(pages: Record<string, string>, mediaDir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (pages[path]) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(pages[path]);
      return;
    }
    const [root, rest] = path.startsWith('/widget/') ? [WIDGET_DIST, path.slice(8)] : path.startsWith('/media/') ? [mediaDir, path.slice(7)] : [null, ''];
    const file = root ? normalize(join(root, rest)) : '';
    if (!root || !file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server };
}
