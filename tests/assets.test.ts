import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('runtime assets served by the app', () => {
  const model = join(root, 'public', 'models', 'face_landmarker.task');

  it('ships face_landmarker.task with the sha256 from ../shared/models/SHA256SUMS', () => {
    const sums = join(root, '..', 'shared', 'models', 'SHA256SUMS');
    const expected = existsSync(sums)
      ? readFileSync(sums, 'utf8').split(/\s+/)[0]
      : '64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff';
    expect(sha256(model)).toBe(expected);
  });

  it('lists every model file with its size and sha256 in public/models/manifest.json', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'public', 'models', 'manifest.json'), 'utf8')) as {
      files: { path: string; bytes: number; sha256: string }[];
    };
    expect(manifest.files.length).toBeGreaterThan(0);
    for (const f of manifest.files) {
      const path = join(root, 'public', 'models', f.path);
      expect(readFileSync(path).length, f.path).toBe(f.bytes);
      expect(sha256(path), f.path).toBe(f.sha256);
    }
  });

  it('references no CDN at run time', () => {
    const html = readFileSync(join(root, 'index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\/(cdn\.|unpkg|jsdelivr|storage\.googleapis)/);
  });
});
