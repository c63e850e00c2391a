/**
 * Bad and unusual input on the Analyze tab: each gets a clear message or a result marked partial, never a hang.
 * Media are generated at test time (ffmpeg, ../shared/data) under .cache/analysis-fixtures.
 */
import { startViteServer, type ViteServerHandle } from '../scripts/lib/browser';
import { expect, test, type Page } from '@playwright/test';
import { analyseOnTab, composeLongVideo, composeStimulusVideo, truncatedCopy, writeFixture } from './analyze-fixtures';

/** Own dev server (no HMR/watch): other work in the checkout cannot reload pages mid-analysis. */
let server: ViteServerHandle;
test.beforeAll(async () => {
  server = await startViteServer();
});
test.afterAll(async () => {
  await server?.close();
});

async function analyse(page: Page, files: string | string[], fps = 5): Promise<{ state: string; text: string; warnings: string[]; rows: number }> {
  await page.goto(`${server.url}/#analyze`);
  const state = await analyseOnTab(page, async () => {
    await page.fill('#analyze-fps', String(fps));
    await page.setInputFiles('#analyze-file', files);
  }, 150_000);
  return {
    state,
    text: (await page.locator('#analyze-status').textContent()) ?? '',
    warnings: await page.locator('#analyze-warnings li').evaluateAll((lis) => lis.map((li) => li.className)),
    rows: await page.locator('#analyze-table tbody tr').count(),
  };
}

test.describe('file analysis: bad and unusual input', () => {
  test('zero-byte file → clear error', async ({ page }) => {
    const r = await analyse(page, writeFixture('empty.mp4', ''));
    expect(r.state).toBe('error');
    expect(r.text).toContain('is empty');
  });

  test('renamed non-media file → clear error', async ({ page }) => {
    const r = await analyse(page, writeFixture('notes.mp4', 'These are meeting notes, not a video.\n'.repeat(200)));
    expect(r.state).toBe('error');
    expect(r.text).toContain('could not be opened as audio or video');
  });

  test('truncated mp4 → partial result or clear error, never a hang', async ({ page }) => {
    const full = composeStimulusVideo('three-stimuli', { labels: ['happy', 'sad', 'angry'], segmentSec: 4, height: 240 });
    const cut = truncatedCopy(full.path, 'three-stimuli-truncated.mp4', 0.5);
    const r = await analyse(page, cut);
    expect(['partial', 'error']).toContain(r.state);
    if (r.state === 'partial') {
      expect(r.text).toContain('Partial result');
      expect(r.warnings).toContain('video-unreadable');
      expect(r.rows).toBeGreaterThan(0);
    } else {
      expect(r.text.length).toBeGreaterThan(20);
    }
  });

  test('video without an audio track → face and text only, says so', async ({ page }) => {
    const v = composeStimulusVideo('mute-video', { labels: ['happy', 'sad'], segmentSec: 4, height: 240, audio: 'none' });
    const r = await analyse(page, [v.path, v.srt]);
    expect(r.state).toBe('done');
    expect(r.warnings).toContain('no-audio');
    expect(r.rows).toBe(4);
    await expect(page.locator('#analyze-table tbody tr').first().locator('td').nth(4)).toHaveText('—');
  });

  test('audio without a face (wav) → voice-only reading, says so', async ({ page }) => {
    const a = composeStimulusVideo('speech-only', { labels: ['angry', 'happy'], segmentSec: 4, video: false });
    const r = await analyse(page, a.path);
    expect(r.state).toBe('done');
    expect(r.warnings).toContain('no-video');
    expect(r.rows).toBe(4);
    const labels = await page.locator('#analyze-table tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.label));
    expect(labels.filter((l) => l !== 'no signal').length).toBeGreaterThan(0);
  });

  test('face leaves the frame → those segments say "no face" and the rest still read', async ({ page }) => {
    const v = composeStimulusVideo('face-leaves', { labels: ['happy', 'sad', 'angry'], segmentSec: 4, height: 240, noFace: [1] });
    const r = await analyse(page, v.path);
    expect(r.state).toBe('done');
    expect(r.warnings).toContain('face-absent');
    const cells = await page.locator('#analyze-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.children[3].textContent));
    expect(cells.slice(2, 4)).toEqual(['no face', 'no face']);
    expect(cells[0]).toMatch(/AU\d/);
    expect(cells[5]).toMatch(/AU\d/);
  });

  test('silence → says there is no speech', async ({ page }) => {
    const v = composeStimulusVideo('silent-face', { labels: ['happy', 'happy'], segmentSec: 4, height: 240, audio: 'silence' });
    const r = await analyse(page, v.path);
    expect(r.state).toBe('done');
    expect(r.warnings).toContain('no-speech');
  });

  test('a 10-minute file at 0.2 fps completes with 300 segments', async ({ page }) => {
    test.setTimeout(240_000);
    const long = composeLongVideo('ten-minutes-silent', 600);
    const r = await analyse(page, long, 0.2);
    expect(r.state).toBe('done');
    expect(r.rows).toBe(300);
    expect(r.text).toMatch(/300 segments .* in [\d.]+ s \([\d.]+× real time/);
  });
});
