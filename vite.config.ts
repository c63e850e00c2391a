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
  optimizeDeps: { exclude: ['@mediapipe/tasks-vision'] },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
      },
    },
  },
});
