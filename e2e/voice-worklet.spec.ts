/**
 * The live prosody path in a real Chromium: fake microphone (a RAVDESS clip, e2e/global-setup.ts) → AudioWorklet
 * (src/voice/prosody.worklet.ts, loaded through Vite's ?worker&url) → ProsodyWindows on the main thread; plus the
 * decodeAudioFile error paths.
 */
import { expect, test, type Page } from '@playwright/test';

/** Vite's dev server may reload the page once when it discovers the worklet's dependencies: retry then. */
async function evaluateSurvivingReload<T>(page: Page, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await page.evaluate(fn);
    } catch (err) {
      if (attempt >= 2 || !String(err).includes('context was destroyed')) throw err;
      await page.waitForLoadState('load');
    }
  }
}

test('mic prosody windows arrive every hop from the AudioWorklet, NaN-free and on the performance clock', async ({ page }) => {
  await page.goto('/');
  const result = await evaluateSurvivingReload(page, async () => {
    const liveUrl = '/src/voice/live.ts';
    const { startMicProsody } = (await import(/* @vite-ignore */ liveUrl)) as typeof import('../src/voice/live');
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const windows: Array<{ start: number; end: number; voiced: number; f0: number[]; finite: boolean; dim: number; now: number }> = [];
    let levels = 0;
    const mic = await startMicProsody(stream, { windowSec: 2, hopSec: 1, onLevel: () => levels++ }, (w) => {
      windows.push({
        start: w.start,
        end: w.end,
        voiced: w.voicedFraction,
        f0: Array.from(w.f0Hz).filter((f) => f > 0),
        finite: Array.from(w.features).every(Number.isFinite),
        dim: w.features.length,
        now: performance.now() / 1000,
      });
    });
    const deadline = performance.now() + 20_000;
    while (windows.length < 4 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    mic.stop();
    stream.getTracks().forEach((t) => t.stop());
    let noTrack = '';
    await startMicProsody(new MediaStream(), {}, () => {}).catch((e: Error) => (noTrack = e.message));
    return { windows, levels, noTrack, rate: mic.context.sampleRate };
  });
  expect(result.windows.length).toBeGreaterThanOrEqual(4);
  expect(result.levels).toBeGreaterThan(10);
  expect(result.noTrack).toContain('no audio track');
  const { PROSODY_FEATURES } = await import('../src/voice/features');
  for (const w of result.windows) {
    expect(w.finite).toBe(true);
    expect(w.dim).toBe(PROSODY_FEATURES.length);
    expect(Math.abs(w.end - w.now)).toBeLessThan(2);
  }
  const hops = result.windows.slice(1).map((w, i) => w.end - result.windows[i].end);
  for (const h of hops) expect(h).toBeGreaterThan(0.7);
  const voiced = result.windows.filter((w) => w.voiced > 0.2);
  expect(voiced.length).toBeGreaterThan(0);
  const f0 = voiced.flatMap((w) => w.f0).sort((a, b) => a - b);
  const median = f0[f0.length >> 1];
  expect(median).toBeGreaterThan(75);
  expect(median).toBeLessThan(600);
});

test('decodeAudioFile decodes a WAV to mono and explains empty or corrupt files', async ({ page }) => {
  await page.goto('/');
  const result = await evaluateSurvivingReload(page, async () => {
    const [decodeUrl, extractUrl] = ['/src/voice/decode.ts', '/src/voice/extract.ts'];
    const { decodeAudioFile } = (await import(/* @vite-ignore */ decodeUrl)) as typeof import('../src/voice/decode');
    const { prosodyWindows } = (await import(/* @vite-ignore */ extractUrl)) as typeof import('../src/voice/extract');
    const blob = await (await fetch('/fixtures/speech-happy.wav')).blob();
    const decoded = await decodeAudioFile(blob);
    const windows = prosodyWindows(decoded.samples, decoded.sampleRate);
    const errors: string[] = [];
    await decodeAudioFile(new Blob([])).catch((e: Error) => errors.push(e.message));
    await decodeAudioFile(new File([new Uint8Array(4096).fill(7)], 'broken.mp3', { type: 'audio/mpeg' })).catch((e: Error) => errors.push(e.message));
    const names: string[] = [];
    await decodeAudioFile(new Blob([])).catch((e: Error) => names.push(e.name));
    await decodeAudioFile(blob, { signal: AbortSignal.abort() }).catch((e: Error) => names.push(e.name));
    return { rate: decoded.sampleRate, duration: decoded.duration, n: decoded.samples.length, windows: windows.length, voiced: Math.max(...windows.map((w) => w.voicedFraction)), errors, names };
  });
  expect(result.rate).toBe(16000); // decoded at the analysis rate
  expect(result.duration).toBeGreaterThan(1);
  expect(result.n).toBe(Math.round(result.duration * result.rate));
  expect(result.windows).toBeGreaterThanOrEqual(2);
  expect(result.voiced).toBeGreaterThan(0.2);
  expect(result.errors[0]).toContain('the file is empty');
  expect(result.errors[1]).toContain('could not decode "broken.mp3"');
  expect(result.names).toEqual(['NoAudioError', 'AbortError']); // one decode (src/voice/decode.ts) for Teach and file analysis
});
