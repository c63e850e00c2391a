import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'reports/**', 'test-results/**', 'playwright-report/**', '.cache/**', 'fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // WebGPU: tfjs's synchronous read-back (dataSync/arraySync/bufferSync) goes through OffscreenCanvas and breaks
    // later buffer uploads on Chromium's SwiftShader adapter ("createBuffer failed … mappedAtCreation"), and it
    // stalls the GPU queue everywhere. App code reads tensors with `await t.data()` / `await t.array()`.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { property: 'dataSync', message: 'Use `await tensor.data()`: dataSync breaks the WebGPU backend (see eslint.config.js).' },
        { property: 'arraySync', message: 'Use `await tensor.array()`: arraySync breaks the WebGPU backend (see eslint.config.js).' },
        { property: 'bufferSync', message: 'Use `await tensor.buffer()`: bufferSync breaks the WebGPU backend (see eslint.config.js).' },
      ],
    },
  },
);
