#!/usr/bin/env node
// Copies runtime assets the app serves itself and verifies them: the MediaPipe face model against
// ../shared/models/SHA256SUMS (when shared/ is beside the project), then writes public/models/manifest.json
// (every model file with size and sha256, after human's model manifest).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(process.env.SHARED_DIR ?? join(root, '..', 'shared'));
const modelsDir = join(root, 'public', 'models');
const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

const target = join(modelsDir, 'face_landmarker.task');
const sums = join(shared, 'models', 'SHA256SUMS');
if (existsSync(sums)) {
  const line = readFileSync(sums, 'utf8').split('\n').find((l) => l.includes('face_landmarker.task'));
  const expected = line?.split(/\s+/)[0];
  if (!existsSync(target) || sha256(target) !== expected) copyFileSync(join(shared, 'models', 'face_landmarker.task'), target);
  const actual = sha256(target);
  if (actual !== expected) {
    console.error(`face_landmarker.task sha256 ${actual} does not match SHA256SUMS ${expected}`);
    process.exit(1);
  }
} else if (!existsSync(target)) {
  console.error(`Missing ${target} and no ${sums} to copy it from.`);
  process.exit(1);
}

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name !== 'manifest.json') files.push(path);
  }
};
walk(modelsDir);
const manifest = {
  generatedBy: 'scripts/copy-assets.mjs',
  files: files.map((f) => ({ path: relative(modelsDir, f), bytes: statSync(f).size, sha256: sha256(f) })),
};
const out = JSON.stringify(manifest, null, 2) + '\n';
const manifestPath = join(modelsDir, 'manifest.json');
if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== out) writeFileSync(manifestPath, out);
console.log(`assets ok: ${files.length} model files, face_landmarker.task verified`);
