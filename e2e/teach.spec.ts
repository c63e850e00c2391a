/**
 * Teach view: fine-tunes on a small labelled set built at test time from ../shared/data (RAVDESS speech + Taiwanese
 * posed faces) with a custom 3-label set; cancel mid-training and resume; the model is saved, survives a reload,
 * exports and re-imports, and a corrupted file is refused.
 */
import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA, FIXTURES } from './global-setup';

/** Custom label → RAVDESS emotion and Taiwanese posed-expression letter. */
const CLASSES = [
  { label: 'excited', ravdess: 'angry', face: 'd' },
  { label: 'calm', ravdess: 'calm', face: 'a' },
  { label: 'down', ravdess: 'sad', face: 'c' },
];
const AUDIO_PER_CLASS = 5;
const FACES_PER_CLASS = 3;

function audioClips(emotion: string): string[] {
  const rows = readFileSync(join(DATA, 'speech', 'ravdess', 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((r) => r.split(','));
  // Strong intensity, one clip per actor, actors 1..n (deterministic).
  const seen = new Set<string>();
  return rows
    .filter((c) => c[3] === emotion && c[4] === 'strong' && c[6] === '01' && !seen.has(c[7]) && seen.add(c[7]))
    .slice(0, AUDIO_PER_CLASS)
    .map((c) => join(DATA, 'speech', 'ravdess', c[0]));
}

function faceImages(letter: string): string[] {
  const dir = join(DATA, 'faces', 'taiwanese', 'images');
  const names = readdirSync(dir).filter((n) => new RegExp(`^\\d{4}${letter}\\d{2}\\.jpg$`).test(n)).sort();
  const perPerformer = new Map<string, string>();
  for (const n of names) if (!perPerformer.has(n.slice(0, 2))) perPerformer.set(n.slice(0, 2), n);
  return [...perPerformer.values()].slice(0, FACES_PER_CLASS).map((n) => join(dir, n));
}

type Teach = {
  clipCount(): number;
  lastResult(): { ms: number; backend: string; numTensors: { before: number; after: number }; history: { total: number; ce: number }[]; before: { accuracy: number }; after: { accuracy: number } } | null;
  checkpointEpoch(): number | null;
  workerRestarts(): number;
};
const teach = (page: Page) => page.evaluate(() => (globalThis as unknown as { emotionLensTeach: Teach }).emotionLensTeach.lastResult());

test('fine-tunes a custom 3-label model, cancels and resumes, saves, reloads, exports, imports, refuses a corrupted file', async ({ page }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (process.env.DEBUG_TEACH) page.on('console', (m) => console.log(`[page] ${m.text()}`));
  await page.goto('/?backend=wasm#teach');
  await expect(page.locator('#teach-base')).not.toBeEmpty({ timeout: 60_000 });

  await page.fill('#teach-labels', CLASSES.map((c) => c.label).join(', '));
  await page.click('#teach-labels-apply');
  let total = 0;
  for (const [i, c] of CLASSES.entries()) {
    await page.selectOption('#teach-label', String(i));
    const files = [...audioClips(c.ravdess), ...faceImages(c.face)];
    expect(files.length).toBe(AUDIO_PER_CLASS + FACES_PER_CLASS);
    await page.setInputFiles('#teach-files', files);
    total += files.length;
    await expect(page.locator('#teach-counts')).toHaveAttribute('data-total', String(total), { timeout: 90_000 });
  }
  await expect(page.locator('#teach-status')).not.toHaveAttribute('data-kind', 'error');

  // Cancel mid-training (terminates the worker), then resume from the main thread's checkpoint.
  await page.fill('#teach-epochs', '200');
  await page.click('#teach-train');
  await expect(page.locator('#teach-status')).toHaveAttribute('data-epoch', /^([5-9]|\d\d)$/, { timeout: 60_000 });
  await page.click('#teach-cancel');
  await expect(page.locator('#teach-status')).toContainText('Resume continues from epoch');
  const restarts = await page.evaluate(() => (globalThis as unknown as { emotionLensTeach: Teach }).emotionLensTeach.workerRestarts());
  expect(restarts).toBeGreaterThanOrEqual(1);
  const resumedFrom = await page.evaluate(() => (globalThis as unknown as { emotionLensTeach: Teach }).emotionLensTeach.checkpointEpoch());
  expect(resumedFrom).toBeGreaterThanOrEqual(5);
  await expect(page.locator('#teach-model-list li')).toHaveCount(0);
  await page.click('#teach-resume');
  await expect(page.locator('#teach-status')).toHaveAttribute('data-done', 'true', { timeout: 120_000 });

  const result = (await teach(page))!;
  console.log(`fine-tune: ${total} clips, backend ${result.backend}, ${(result.ms / 1000).toFixed(1)} s (resumed part), loss ${result.history[0].total.toFixed(3)} → ${result.history.at(-1)!.total.toFixed(3)}, held-out accuracy ${result.before.accuracy.toFixed(2)} → ${result.after.accuracy.toFixed(2)}, numTensors ${result.numTensors.before} → ${result.numTensors.after}`);
  expect(result.history).toHaveLength(200);
  expect(result.history.at(-1)!.total).toBeLessThan(result.history[0].total * 0.8);
  expect(result.after.accuracy).toBeGreaterThan(result.before.accuracy);
  expect(result.numTensors.after).toBe(result.numTensors.before);
  await expect(page.locator('#teach-f1 tr[data-label="calm"]')).toBeVisible();

  // Saved and live; still there after a reload.
  await expect(page.locator('#teach-model-list li')).toHaveCount(1);
  await expect(page.locator('#teach-model-list li').first()).toContainText('[excited, calm, down]');
  await page.reload();
  await expect(page.locator('#teach-model-list li')).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('#teach-model-list li').first()).toHaveAttribute('data-active', 'true');
  await expect(page.locator('#teach-active-model')).toContainText('+ft-');

  // Export → import round trip.
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#teach-model-list li .export').first().click()]);
  const exported = join(FIXTURES, 'teach-export.emotion-model.json');
  await download.saveAs(exported);
  await page.setInputFiles('#teach-import', exported);
  await expect(page.locator('#teach-model-status')).toContainText('Imported', { timeout: 30_000 });
  await expect(page.locator('#teach-model-list li')).toHaveCount(2);

  // A corrupted copy (one weight byte changed) is refused with a clear message; nothing is added.
  const bundle = JSON.parse(readFileSync(exported, 'utf8')) as { weights: string };
  bundle.weights = (bundle.weights[10] === 'A' ? bundle.weights.slice(0, 10) + 'B' : bundle.weights.slice(0, 10) + 'A') + bundle.weights.slice(11);
  const corrupted = join(FIXTURES, 'teach-corrupted.emotion-model.json');
  writeFileSync(corrupted, JSON.stringify(bundle));
  await page.setInputFiles('#teach-import', corrupted);
  await expect(page.locator('#teach-model-status')).toContainText('Import refused: The model file is corrupted');
  await expect(page.locator('#teach-model-status')).toHaveAttribute('data-kind', 'error');
  await expect(page.locator('#teach-model-list li')).toHaveCount(2);

  // One-click rollback to the base model.
  await page.click('#teach-use-base');
  await expect(page.locator('#teach-active-model')).toHaveText('base model');
  expect(errors).toEqual([]);
});

test('records a labelled clip from the fake camera and microphone (the live pipeline)', async ({ page }) => {
  await page.goto('/?backend=wasm#teach');
  await page.fill('#teach-labels', 'engaged, confused, bored');
  await page.click('#teach-labels-apply');
  await page.selectOption('#teach-label', '1');
  await page.click('#teach-camera');
  await expect(page.locator('#teach-record')).toBeEnabled({ timeout: 60_000 });
  await expect(page.locator('#teach-camera-status')).toHaveText('face found', { timeout: 60_000 });
  await page.waitForTimeout(2500); // let the prosody worklet deliver its first 2 s window
  await page.click('#teach-record');
  await expect(page.locator('#teach-counts')).toHaveAttribute('data-total', '1', { timeout: 30_000 });
  const clip = page.locator('#teach-clips li').first();
  await expect(clip).toHaveAttribute('data-label', 'confused');
  await expect(clip).toContainText('recorded 3 s (face + voice)');
  await page.click('#teach-camera'); // stop
  await expect(page.locator('#teach-record')).toBeDisabled();
});

test('without IndexedDB the Teach view says so and keeps models in memory', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true }));
  await page.goto('/?backend=wasm#teach');
  await expect(page.locator('#teach-store-status')).toContainText('cannot be saved in this browser (IndexedDB is not available', { timeout: 30_000 });
  await expect(page.locator('#teach-store-status')).toContainText('kept in memory for this page only');
});
