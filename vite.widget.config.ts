/**
 * Builds <emotion-recognizer> into dist/widget/:
 *   emotion-recognizer.js       the ES module (custom element), chunks and worker bundles beside it
 *   emotion-recognizer.iife.js  a classic-script loader that imports the module from its own folder
 *   models/…                    public/models (face landmarker, text and fusion models)
 * `base: './'` makes every asset, wasm and worker URL relative to the script that references it, and
 * `assetsDir: ''` keeps workers next to models/, so the widget works from any folder of any static server.
 */
import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';

/** The classic-script entry: finds its own URL and imports the ES module next to it. */
const CLASSIC_LOADER = `/* <emotion-recognizer> classic loader: imports the ES module next to this script. */
(function () {
  var script = document.currentScript;
  var base = script && script.src ? script.src : document.baseURI;
  import(new URL('./emotion-recognizer.js', base).href).catch(function (err) {
    console.error('emotion-recognizer failed to load', err);
    document.dispatchEvent(new CustomEvent('emotion-recognizer-load-error', { detail: String(err) }));
  });
})();
`;

function classicLoader(): Plugin {
  return {
    name: 'emotion-recognizer-classic-loader',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'emotion-recognizer.iife.js', source: CLASSIC_LOADER });
    },
  };
}

export default defineConfig({
  base: './',
  publicDir: resolve(import.meta.dirname, 'public'),
  worker: {
    format: 'es',
    rollupOptions: { output: { entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' } },
  },
  optimizeDeps: { exclude: ['@mediapipe/tasks-vision'] },
  plugins: [classicLoader()],
  define: { 'import.meta.env.VITE_WIDGET_STANDALONE': JSON.stringify('1') },
  build: {
    target: 'es2022',
    outDir: resolve(import.meta.dirname, 'dist/widget'),
    emptyOutDir: true,
    assetsDir: '',
    copyPublicDir: true,
    rollupOptions: {
      input: { 'emotion-recognizer': resolve(import.meta.dirname, 'src/widget/emotion-recognizer.ts') },
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name]-[hash][extname]',
      },
    },
  },
});
