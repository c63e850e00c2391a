/**
 * File-analysis benchmark (not a test): composes a 60 s 320p stimulus video from ../shared/data, analyses it with
 * the in-browser pipeline (the page's `emotionLensAnalyze`, same as the Analyze tab and the CLI) in headless
 * Chromium, prints × real time and memory, and writes reports/bench-analysis.json.
 *
 *   npx tsx scripts/bench-analysis.ts [--seconds 60] [--fps 5] [--backend webgpu|wasm|cpu] [--runs 2] [--concurrency 1]
 *                                     [--report reports/bench-analysis.json]
 *
 * Memory: performance.memory (Chromium, with --enable-precise-memory-info) of the page's JS heap before, at the
 * peak during and after the run; worker heaps are not included (measureUserAgentSpecificMemory needs
 * cross-origin isolation, which the dev server does not set), so the process RSS of Chromium is reported too.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { composeStimulusVideo, type StimulusLabel } from '../e2e/analyze-fixtures';
import { CHROMIUM_PATH, chromiumArgs, forwardPageErrors, PROJECT_ROOT, startViteServer } from './lib/browser';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Resident memory of the process tree under `rootPid` (this benchmark's Chromium and its children), MB. */
function treeRssMb(rootPid: number): number {
  try {
    const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    const children = new Map<number, number[]>();
    const rss = new Map<number, number>();
    for (const [pid, ppid, kb] of rows) {
      rss.set(pid, kb);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
    let total = 0;
    const stack = [rootPid];
    while (stack.length) {
      const pid = stack.pop()!;
      total += rss.get(pid) ?? 0;
      stack.push(...(children.get(pid) ?? []));
    }
    return Math.round(total / 1024);
  } catch {
    return -1;
  }
}

async function main() {
  const seconds = Number(arg('seconds', '60'));
  const fps = Number(arg('fps', '5'));
  const runs = Number(arg('runs', '2'));
  const concurrency = Number(arg('concurrency', '1'));
  const backend = arg('backend', '');
  const cycle: StimulusLabel[] = ['happy', 'sad', 'angry', 'neutral', 'surprise', 'worried'];
  const labels = Array.from({ length: Math.ceil(seconds / 4) }, (_, i) => cycle[i % cycle.length]);
  const media = composeStimulusVideo(`bench-${seconds}s-320p`, { labels, height: 320 });
  console.log(`video: ${media.path} (${media.duration} s, 320p, 25 fps); analysing at ${fps} fps, ${runs} run(s), concurrency ${concurrency}`);

  const server = await startViteServer();
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, headless: true, args: [...chromiumArgs({ webgpu: true }), '--enable-precise-memory-info'] });
  const browser = await chromium.connect(browserServer.wsEndpoint());
  const rootPid = browserServer.process().pid ?? 0;
  const chromiumRssMb = () => treeRssMb(rootPid);
  const rows: Record<string, unknown>[] = [];
  try {
    const pages = await Promise.all(Array.from({ length: concurrency }, async (_, n) => {
      const page = await browser.newPage();
      forwardPageErrors(page, `bench${n}`);
      await page.goto(`${server.url}/${backend ? `?backend=${backend}` : ''}#analyze`);
      await page.waitForFunction(() => 'emotionLensAnalyzeInput' in globalThis, undefined, { timeout: 120_000 });
      await page.setInputFiles('#analyze-cli-file', [media.path, media.srt]);
      return page;
    }));
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      let peakRss = chromiumRssMb();
      const rssBefore = peakRss;
      const poll = setInterval(() => {
        peakRss = Math.max(peakRss, chromiumRssMb());
      }, 1000);
      const outs = await Promise.all(pages.map((page) => page.evaluate(async (opts) => {
        const w = globalThis as unknown as { emotionLensAnalyzeInput(sel: string, o: unknown): Promise<Record<string, unknown>> };
        const out = await w.emotionLensAnalyzeInput('#analyze-cli-file', opts);
        const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
        return { out, heapAfter: mem?.usedJSHeapSize ?? null };
      }, { fps })));
      clearInterval(poll);
      const wall = (performance.now() - t0) / 1000;
      const rss = chromiumRssMb();
      for (const { out, heapAfter } of outs) {
        if ('error' in out) throw new Error(`analysis failed: ${String(out.error)}`);
        const result = out.result as { timing: { totalMs: number; stages: Record<string, number>; realTimeFactor: number }; backend: string; segments: unknown[] };
        const d = out.diagnostics as Record<string, number | null>;
        const row = {
          run: run + 1,
          concurrency,
          backend: result.backend,
          realTimeFactor: result.timing.realTimeFactor,
          aggregateRealTimeFactor: Math.round(((media.duration * concurrency) / wall) * 100) / 100,
          totalMs: result.timing.totalMs,
          stages: result.timing.stages,
          segments: result.segments.length,
          framesAnalysed: d.framesAnalysed,
          meanDetectMs: Math.round(Number(d.meanDetectMs) * 10) / 10,
          meanSeekMs: Math.round(Number(d.meanSeekMs) * 10) / 10,
          heapStartMb: d.startHeapBytes === null ? null : Math.round(Number(d.startHeapBytes) / 1e5) / 10,
          heapPeakMb: d.peakHeapBytes === null ? null : Math.round(Number(d.peakHeapBytes) / 1e5) / 10,
          heapAfterMb: heapAfter === null ? null : Math.round(heapAfter / 1e5) / 10,
          chromiumRssBeforeMb: rssBefore,
          chromiumRssPeakMb: peakRss,
          chromiumRssAfterMb: rss,
        };
        rows.push(row);
        console.log(JSON.stringify(row));
      }
    }
  } finally {
    await browser.close();
    await browserServer.close();
    await server.close();
  }
  const best = rows.reduce((a, r) => Math.max(a, Number(r.realTimeFactor)), 0);
  const report = {
    createdAt: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? '', loadAverage1m: Math.round(loadavg()[0] * 10) / 10 },
    video: { seconds: media.duration, height: 320, fps: 25, analysisFps: fps },
    goal: '≥ 4× real time on 2 cores',
    bestRealTimeFactor: best,
    runs: rows,
    notes: 'First run includes worker start-up (MediaPipe and TF.js init). Other engineers share the 2 cores, so figures vary.',
  };
  const reportPath = resolve(PROJECT_ROOT, arg('report', 'reports/bench-analysis.json'));
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`best: ${best}× real time (goal ≥ 4×) → ${reportPath}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
