import { defineConfig, type Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * tasks-vision 1.1.0 ships `//# sourceMappingURL=vision_bundle_mjs.js.map` without the map file, so Vite prints a
 * stack trace for every page load of the dev server. Drop the dangling reference.
 */
function mediapipeWithoutMissingSourcemap(): Plugin {
  return {
    name: 'mediapipe-without-missing-sourcemap',
    enforce: 'pre',
    load(id) {
      const file = id.split('?')[0];
      if (!/@mediapipe[\\/]tasks-vision[\\/]vision_bundle\.mjs$/.test(file)) return null;
      return readFileSync(file, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
    },
  };
}

const proxyPort = Number(process.env.PROXY_PORT ?? 8787);

export default defineConfig({
  plugins: [mediapipeWithoutMissingSourcemap()],
  server: {
    port: Number(process.env.PORT ?? 5173),
    strictPort: false,
    // The prior proxy (server/) is reachable from the dev server, so `npm start` serves everything on one origin.
    proxy: { '/api': { target: `http://127.0.0.1:${proxyPort}`, changeOrigin: false } },
  },
  preview: { proxy: { '/api': { target: `http://127.0.0.1:${proxyPort}` } } },
  worker: { format: 'es' },
  optimizeDeps: {
    exclude: ['@mediapipe/tasks-vision'],
    // Crawl every page and worker up front so the dev server never discovers a dependency late and reloads the
    // page mid-session (which also made e2e runs flaky).
    entries: ['index.html', 'widget.html', 'workers/*.ts', 'scripts/**/*.html'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu', '@tensorflow/tfjs-backend-wasm', 'comlink', 'zod', 'uplot'],
  },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        widget: resolve(import.meta.dirname, 'widget.html'),
      },
    },
  },
});
