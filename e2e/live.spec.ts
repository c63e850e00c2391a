import { expect, test, chromium } from '@playwright/test';
import { BASE_ARGS, CHROMIUM } from '../playwright.config';

test.describe('live webcam demo', () => {
  test('tracks a real face, shows AUs, pitch and emotion bars summing to 1, on WebGPU', async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await expect(page.locator('#backend-badge')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
    await page.click('#live-start');
    await expect(page.locator('#live-state')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
    await expect(page.locator('#face-status')).toContainText('face found', { timeout: 60_000 });

    // AU proxies move: the posed happy face has a clear smile (AU12) and cheek raise (AU6).
    const au12 = Number(await page.locator('#au-bars .bar[data-name="AU12"]').getAttribute('data-value'));
    expect(au12).toBeGreaterThan(0.2);

    // Voice: the RAVDESS clip gives voiced frames and a pitch in Hz.
    await expect(page.locator('#voice-values')).toContainText(/pitch \d+ Hz/, { timeout: 30_000 });

    // Emotion bars: six classes, probabilities sum to 1, computed in the worker.
    await expect(page.locator('#emotion-label')).not.toHaveText('—', { timeout: 30_000 });
    const values = await page.locator('#emotion-bars .bar').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.value)));
    expect(values).toHaveLength(6);
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    await expect(page.locator('#rationale')).toContainText('face:');
    // The reasoning prior comes from the proxy's local provider (no Gemini key in tests) and is shown.
    await expect(page.locator('#prior-info')).toHaveAttribute('data-source', 'local');
    await expect(page.locator('#prior-info')).toContainText(/Prior \(local reasoner.*AU/);
    await expect(page.locator('#perf')).toContainText('ms/frame');
    expect(errors).toEqual([]);
  });

  test('a typed sentence changes the text bars and the fused reading', async ({ page }) => {
    await page.goto('/');
    await page.click('#live-start');
    await expect(page.locator('#emotion-label')).not.toHaveText('—', { timeout: 60_000 });
    await page.fill('#live-transcript', 'I am furious! This is outrageous, I hate you!');
    // The text bars show the text model's reading of the sentence.
    await expect
      .poll(async () => page.locator('#text-bars .bar[data-name="angry"]').evaluate((el) => Number((el as HTMLElement).dataset.value)), { timeout: 15_000 })
      .toBeGreaterThan(0.3);
    // The fused reading now includes the text branch: its contribution is shown and the rationale quotes the text.
    await expect(page.locator('#contributions')).toContainText(/text [1-9]\d*%/, { timeout: 15_000 });
    await expect(page.locator('#rationale')).toContainText('furious');
    // And the same segment read with vs without the sentence differs in the direction of the text.
    const delta = await page.evaluate(async () => {
      type Lens = { predictSegments(r: unknown[], o: unknown): Promise<{ results: { probs: Record<string, number> }[] }> };
      const lens = (globalThis as unknown as { emotionLens: Lens }).emotionLens;
      const base = { start: 0, end: 2, summary: { start: 0, end: 2 }, face: null, voice: null, person: 'e2e' };
      const without = await lens.predictSegments([{ ...base, transcript: null }], { calibration: 'none' });
      const withText = await lens.predictSegments([{ ...base, transcript: 'I am furious! This is outrageous, I hate you!' }], { calibration: 'none' });
      return withText.results[0].probs.angry - without.results[0].probs.angry;
    });
    expect(delta).toBeGreaterThan(0.1);
  });

  test('worker tensors do not grow over 500 predictions on WebGPU', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('#backend-badge')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
    const result = await page.evaluate(async () => {
      type Lens = { memory(): Promise<{ numTensors: number; backend: string }>; predictReasoner(i: unknown[]): Promise<unknown> };
      const lens = (globalThis as unknown as { emotionLens: Lens }).emotionLens;
      const face = new Float32Array(17).fill(0.2);
      const voice = new Float32Array(9).fill(0.1);
      await lens.predictReasoner([{ face, voice, text: null }]);
      const before = await lens.memory();
      for (let i = 0; i < 500; i++) await lens.predictReasoner([{ face, voice: i % 2 ? voice : null, text: null }]);
      const after = await lens.memory();
      return { before: before.numTensors, after: after.numTensors, backend: after.backend };
    });
    expect(result.backend).toBe('webgpu');
    expect(result.after).toBe(result.before);
  });

  test('says so when camera permission is denied', async ({ page }) => {
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = async () => {
        throw new DOMException('Permission denied', 'NotAllowedError');
      };
    });
    await page.goto('/');
    await page.click('#live-start');
    await expect(page.locator('#live-state')).toHaveAttribute('data-state', 'error');
    await expect(page.locator('#live-state')).toContainText('permission was denied');
    await expect(page.locator('#live-start')).toBeEnabled();
  });

  test('shows "no face" for an empty scene and "no audio" without a microphone', async ({ baseURL }) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...BASE_ARGS, '--enable-unsafe-webgpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--use-file-for-fake-video-capture=fixtures/no-face.y4m'],
    });
    try {
      const page = await browser.newPage();
      // No microphone on this machine: audio capture is refused, video still works.
      await page.addInitScript(() => {
        const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
        navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => {
          if (c?.audio) throw new DOMException('Requested device not found', 'NotFoundError');
          return original(c);
        };
      });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(baseURL!);
      await page.click('#live-start');
      await expect(page.locator('#live-state')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
      await expect(page.locator('#face-status')).toHaveText('no face in view', { timeout: 60_000 });
      expect(errors).toEqual([]);
      await expect(page.locator('#voice-status')).toContainText('no audio');
      await expect(page.locator('#emotion-label')).toHaveText('no signal', { timeout: 30_000 });
    } finally {
      await browser.close();
    }
  });
});
