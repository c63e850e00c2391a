import { defineConfig } from 'vite';
import { resolve } from 'node:path';

const proxyPort = Number(process.env.PROXY_PORT ?? 8787);

export default defineConfig({
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
