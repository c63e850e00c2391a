/**
 * Live pipeline benchmark: our app's live view on a fake camera (a real Taiwanese face, y4m) and fake microphone
 * (a RAVDESS clip), read from the #perf line, against @vladmandic/human on the same stream in the same browser.
 */
import { resolve } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { serveDirectory, PROJECT_ROOT } from '../lib/browser';

export interface PerfLine {
  detectMs: number;
  roundTripMs: number;
  analysed: number;
  dropped: number;
  workerMs: number;
  backend: string;
  /** Mean AudioWorklet analysis time per 2 s prosody window, when the mic runs. */
  prosodyMs?: number;
}

/** Parses live-view.ts's #perf text. */
export function parsePerfLine(text: string): PerfLine | null {
  const m = /face ([\d.]+) ms\/frame \(round trip ([\d.]+) ms, (\d+) analysed, (\d+) dropped\) · worker ([\d.]+) ms\/reading on (\w+)/.exec(text);
  if (!m) return null;
  const prosody = / · prosody ([\d.]+) ms\/window/.exec(text);
  return { detectMs: +m[1], roundTripMs: +m[2], analysed: +m[3], dropped: +m[4], workerMs: +m[5], backend: m[6], prosodyMs: prosody ? +prosody[1] : undefined };
}

export interface LiveRow {
  pipeline: 'ours' | 'human';
  backend: string;
  requestedBackend: string;
  faceThread?: 'worker' | 'main';
  fps: number;
  faceMs: number;
  roundTripMs?: number;
  workerFusionMs?: number;
  /** Live AudioWorklet prosody time per 2 s window. */
  prosodyMs?: number;
  dropped: number;
  seconds: number;
  error?: string;
}

async function untilPerf(page: Page, minAnalysed: number, timeoutMs: number): Promise<PerfLine> {
  const t0 = Date.now();
  for (;;) {
    const line = parsePerfLine((await page.locator('#perf').textContent()) ?? '');
    if (line && line.analysed >= minAnalysed) return line;
    if (Date.now() - t0 > timeoutMs) throw new Error(`no #perf reading after ${timeoutMs} ms (last: ${JSON.stringify(line)})`);
    await page.waitForTimeout(250);
  }
}

/** Our live view at `?backend=` with the face landmarker in the worker or on the main thread. */
export async function measureOurs(browser: Browser, origin: string, backend: string, faceThread: 'worker' | 'main', seconds: number): Promise<LiveRow> {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/?backend=${backend}${faceThread === 'main' ? '&face=main' : ''}`);
    await page.locator('#backend-badge[data-backend]:not([data-backend=""])').waitFor({ timeout: 120_000 });
    await page.click('#live-start');
    await page.locator('#live-state[data-state="running"]').waitFor({ timeout: 120_000 });
    const first = await untilPerf(page, 3, 120_000);
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const last = await untilPerf(page, first.analysed + 1, 60_000);
    const elapsed = (Date.now() - t0) / 1000;
    await page.click('#live-stop').catch(() => undefined);
    return {
      pipeline: 'ours',
      backend: last.backend,
      requestedBackend: backend,
      faceThread,
      fps: round((last.analysed - first.analysed) / elapsed),
      faceMs: round(last.detectMs),
      roundTripMs: round(last.roundTripMs),
      workerFusionMs: round(last.workerMs),
      prosodyMs: last.prosodyMs,
      dropped: last.dropped,
      seconds: round(elapsed),
    };
  } catch (err) {
    return { pipeline: 'ours', backend: 'failed', requestedBackend: backend, faceThread, fps: 0, faceMs: 0, dropped: 0, seconds: 0, error: String(err).slice(0, 300) };
  } finally {
    await page.close();
  }
}

/** @vladmandic/human (face + emotion) on the same fake camera, models from node_modules (no CDN). */
export async function measureHuman(browser: Browser, origin: string, backend: string, seconds: number): Promise<LiveRow> {
  const page = await browser.newPage();
  try {
    await serveDirectory(page, origin, '/__human-models/', resolve(PROJECT_ROOT, 'node_modules/@vladmandic/human/models'));
    await serveDirectory(page, origin, '/__tfjs-wasm/', resolve(PROJECT_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'));
    await page.goto(`${origin}/scripts/bench/human-live.html?backend=${backend}`);
    await page.waitForFunction(() => 'humanLive' in globalThis, undefined, { timeout: 120_000 });
    const started = await page.evaluate(() => (globalThis as unknown as { humanLive: { start(): Promise<{ backend: string }> } }).humanLive.start());
    const read = () => page.evaluate(() => (globalThis as unknown as { humanLive: { stats(): { processed: number; dropped: number; meanDetectMs: number; faces: number } } }).humanLive.stats());
    await page.waitForTimeout(1500);
    const first = await read();
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const last = await read();
    const elapsed = (Date.now() - t0) / 1000;
    await page.evaluate(() => (globalThis as unknown as { humanLive: { stop(): void } }).humanLive.stop());
    if (last.faces === 0) throw new Error('human found no face in the stream');
    return {
      pipeline: 'human',
      backend: started.backend,
      requestedBackend: backend,
      fps: round((last.processed - first.processed) / elapsed),
      faceMs: round(last.meanDetectMs),
      dropped: last.dropped,
      seconds: round(elapsed),
    };
  } catch (err) {
    return { pipeline: 'human', backend: 'failed', requestedBackend: backend, fps: 0, faceMs: 0, dropped: 0, seconds: 0, error: String(err).slice(0, 300) };
  } finally {
    await page.close();
  }
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
