/**
 * <emotion-recognizer> from the BUILT output (dist/widget, built once here) in plain pages with one <script> tag,
 * served by a static server: camera mode with Chromium's fake camera/microphone emits `emotion` events; the camera
 * does not start without a gesture; file mode analyses a video composed at test time from ../shared/data; a
 * non-media file gives a typed `error`; a `model` attribute loads a Teach export (bundle made here from the base
 * model), and a tampered one is refused.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { composeVideo, SUBTITLE_LINES } from '../scripts/lib/fixtures';
import { exportBundle } from '../src/finetune/bundle';
import type { FusionMetadata } from '../src/fusion/metadata';
import { ravdessClip } from './analyze-fixtures';
import { DATA, FIXTURES, ROOT } from './global-setup';
import { buildWidget, serveWidget } from './widget-server';

const LISTEN = `<script>
  window.__events = [];
  for (const type of ['ready', 'emotion', 'error']) {
    document.addEventListener(type, (e) => { if (e.target.localName === 'emotion-recognizer') window.__events.push({ type, detail: e.detail }); }, true);
  }
</script>`;

const CLASSIC_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>widget (classic)</title>${LISTEN}</head><body>
<h1>Plain page</h1>
<script src="/widget/emotion-recognizer.iife.js"></script>
<emotion-recognizer mode="camera" modalities="face,voice" priors="local" backend="wasm"></emotion-recognizer>
<script>
  // A page that tries to open the camera on load, without any user action: must be refused.
  customElements.whenDefined('emotion-recognizer').then(() =>
    document.querySelector('emotion-recognizer').start().then(() => (window.__autoStart = 'started'), (e) => (window.__autoStart = e.message)));
</script>
</body></html>`;

const MODULE_FILE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>widget (module, file)</title>${LISTEN}</head><body>
<script type="module" src="/widget/emotion-recognizer.js"></script>
<emotion-recognizer mode="file" priors="local" backend="wasm" compact></emotion-recognizer>
</body></html>`;

const modelPage = (model: string) => `<!doctype html><html><head><meta charset="utf-8"><title>widget (custom model)</title>${LISTEN}</head><body>
<script type="module" src="/widget/emotion-recognizer.js"></script>
<emotion-recognizer mode="file" priors="off" backend="wasm" model="${model}"></emotion-recognizer>
</body></html>`;

let server: Server;
let base = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  buildWidget();
  const mediaDir = join(FIXTURES, 'widget');
  mkdirSync(mediaDir, { recursive: true });
  const faces = join(DATA, 'faces', 'taiwanese', 'images');
  await composeVideo(
    [
      { image: join(faces, '0111b02.jpg'), audio: ravdessClip('happy'), text: SUBTITLE_LINES.happy, label: 'happy' },
      { image: join(faces, '0101a02.jpg'), audio: ravdessClip('sad'), text: SUBTITLE_LINES.sad, label: 'sad' },
    ],
    mediaDir,
    { size: [320, 240] },
  );
  writeFileSync(join(mediaDir, 'notes.txt'), 'not a video');
  // A "fine-tuned" model as Teach exports it: the base model's weights under another version name.
  const fusionDir = join(ROOT, 'public', 'models', 'fusion');
  const metadata = { ...(JSON.parse(readFileSync(join(fusionDir, 'metadata.json'), 'utf8')) as FusionMetadata), version: 'widget-e2e-finetuned-1' };
  const weights = readFileSync(join(fusionDir, 'weights.bin'));
  const bundle = exportBundle({ metadata, weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) });
  writeFileSync(join(mediaDir, 'custom.emotion-model.json'), bundle);
  writeFileSync(join(mediaDir, 'tampered.emotion-model.json'), bundle.replace('"widget-e2e-finetuned-1"', '"widget-e2e-finetuned-2"'));
  ({ server, url: base } = await serveWidget(
    {
      '/classic.html': CLASSIC_PAGE,
      '/file.html': MODULE_FILE_PAGE,
      '/custom.html': modelPage('/media/custom.emotion-model.json'),
      '/tampered.html': modelPage('/media/tampered.emotion-model.json'),
    },
    mediaDir,
  ));
});

test.afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

type Recorded = { type: string; detail: Record<string, unknown> & { probs?: Record<string, number>; code?: string; label?: string; source?: string } };
const events = (page: Page) => page.evaluate(() => (globalThis as unknown as { __events: Recorded[] }).__events);

test('camera mode from one classic <script>: gesture required, then emotion events from the fake camera and mic', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/classic.html`);
  const widget = page.locator('emotion-recognizer');
  await expect.poll(async () => (await events(page)).some((e) => e.type === 'ready'), { timeout: 90_000 }).toBe(true);

  // start() without a user gesture is refused with a typed error, and no camera opens.
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { __autoStart?: string }).__autoStart)).toContain('user action');
  expect((await events(page)).find((e) => e.type === 'error')?.detail.code).toBe('gesture-required');
  await expect(widget.locator('video')).toHaveJSProperty('srcObject', null);

  // The widget's own button is the gesture.
  await widget.locator('button.start').click();
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'emotion').length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  const emotions = (await events(page)).filter((e) => e.type === 'emotion').map((e) => e.detail);
  const last = emotions.at(-1)!;
  const probs = Object.values(last.probs!);
  expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  expect(Object.keys(last.probs!)).toContain(last.label);
  expect(last.source).toBe('camera');
  expect(last.backend).toBe('wasm');
  // The fake camera shows a real face: the face branch contributes once the landmarker runs.
  await expect
    .poll(async () => (await events(page)).some((e) => e.type === 'emotion' && (e.detail.contributions as Record<string, number>).face > 0), { timeout: 60_000 })
    .toBe(true);
  // Accessible: the current emotion is announced in a polite live region.
  await expect(widget.locator('[role=status][aria-live=polite]')).toContainText(/percent|No face/);
  await widget.locator('button.stop').click();
  await expect(widget.locator('button.start')).toBeEnabled();
  expect(errors).toEqual([]);
});

test('file mode (ES module tag): a composed video gives one emotion per segment; a text file is refused', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(`${base}/file.html`);
  const widget = page.locator('emotion-recognizer');
  await expect.poll(async () => (await events(page)).some((e) => e.type === 'ready'), { timeout: 90_000 }).toBe(true);
  await widget.locator('input[type=file]').setInputFiles(join(FIXTURES, 'widget', 'video.mp4'));
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'emotion' && e.detail.source === 'file').length, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  const seg = (await events(page)).filter((e) => e.type === 'emotion').map((e) => e.detail);
  expect(seg.every((s) => Math.abs(Object.values(s.probs!).reduce((a, b) => a + b, 0) - 1) < 1e-3)).toBe(true);
  // The file runs on the widget's own engines (backend attribute, models from the widget's models/ folder), not the
  // host page's app defaults: the fusion model is loaded and the face landmarker found the face in the video.
  expect(seg.every((s) => s.backend === 'wasm')).toBe(true);
  expect(seg.every((s) => s.predictor === 'fusion')).toBe(true);
  expect(seg.some((s) => (s.contributions as Record<string, number>).face > 0)).toBe(true);

  await widget.locator('input[type=file]').setInputFiles(join(FIXTURES, 'widget', 'notes.txt'));
  await expect.poll(async () => (await events(page)).find((e) => e.type === 'error')?.detail.code).toBe('bad-file');
});

test('model attribute: a Teach export replaces the base model, and a tampered file is refused with a clear error', async ({ page }) => {
  test.setTimeout(150_000);
  await page.goto(`${base}/custom.html`);
  await expect.poll(async () => (await events(page)).find((e) => e.type === 'ready')?.detail, { timeout: 90_000 }).toBeTruthy();
  const ready = (await events(page)).find((e) => e.type === 'ready')!.detail as { models: { fusion: string; fusionVersion?: string } };
  expect(ready.models.fusion).toBe('loaded');
  expect(ready.models.fusionVersion).toBe('widget-e2e-finetuned-1');
  await expect(page.locator('emotion-recognizer')).toContainText('widget-e2e-finetuned-1');
  await page.locator('emotion-recognizer').locator('input[type=file]').setInputFiles(join(FIXTURES, 'widget', 'video.mp4'));
  await expect.poll(async () => (await events(page)).filter((e) => e.type === 'emotion').length, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  expect((await events(page)).filter((e) => e.type === 'emotion').every((e) => e.detail.predictor === 'fusion')).toBe(true);

  await page.goto(`${base}/tampered.html`);
  await expect.poll(async () => (await events(page)).find((e) => e.type === 'error')?.detail, { timeout: 90_000 }).toBeTruthy();
  const error = (await events(page)).find((e) => e.type === 'error')!.detail;
  expect(error.code).toBe('model-load');
  expect(String(error.message)).toContain('checksum');
  expect((await events(page)).some((e) => e.type === 'ready')).toBe(false);
});
