/**
 * `npm run bench [-- --quick] [-- --only live,fusion,finetune,analysis,coldstart,accuracy] [-- --data=../shared/data]` — benchmarks against peers on
 * this machine, side by side in one headless Chromium where possible (ratios on the same machine), printed as
 * tables and written to reports/bench.json. Not part of `npm test`. Full run ≈ 5 min on 2 cores (2026-11-24); --quick is shorter.
 *
 * Sections: live pipeline (ours vs @vladmandic/human per backend; face worker vs main thread), fusion inference
 * latency p50/p95 (batch 1 and 64, per backend, in the app's inference worker), fine-tune time (1,000 windows ×
 * 20 epochs per backend, trainStep in a worker), file analysis (× real time: video, audio-only, CLI concurrency 1
 * and 2), cold start of the production build (time to first prediction, bytes with/without cache) and the accuracy
 * tables other scripts wrote. `--analysis-seconds=N` shortens the file-analysis video while developing. Each section catches its own failure and records it, so one broken part does not
 * lose the rest.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../server/app';
import { faceVideoY4m, wavFromFlac } from './lib/fixtures';
import { PROJECT_ROOT } from './lib/browser';
import { readAccuracyReports } from './bench/accuracy';
import { buildProduction, measureColdStart, startPreview } from './bench/coldstart';
import { measureHuman, measureOurs, round, type LiveRow } from './bench/live';
import { machineInfo } from './bench/machine';
import { startBenchSession } from './bench/session';
import { trainData } from './bench/train-data';

const SECTIONS = ['live', 'fusion', 'finetune', 'analysis', 'coldstart', 'accuracy'] as const;
type Section = (typeof SECTIONS)[number];
const BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
const only = new Set((onlyArg ? onlyArg.split(',') : SECTIONS) as Section[]);

/** Settings per mode; quick keeps every section but samples less (and skips the slowest runs). */
const SETTINGS = quick
  ? { liveSeconds: 6, liveBackends: ['wasm'] as string[], humanBackends: ['wasm'] as string[], faceMainToo: false, calls1: 15, calls64: 3, webgpuCalls1: 4, webgpuCalls64: 2, ftWindows: 1000, ftEpochs: 1, webgpuMaxSteps: 2, analysisSeconds: 0, coldReuseDist: true }
  : { liveSeconds: 15, liveBackends: [...BACKENDS] as string[], humanBackends: [...BACKENDS] as string[], faceMainToo: true, calls1: 100, calls64: 20, webgpuCalls1: 40, webgpuCalls64: 8, ftWindows: 1000, ftEpochs: 20, webgpuMaxSteps: 16, analysisSeconds: 60, coldReuseDist: false };

// Dataset root (default ../shared/data); the fixture helpers read DATA_DIR when first imported, below.
const dataArg = argv.find((a) => a.startsWith('--data='));
if (dataArg) process.env.DATA_DIR = dataArg.slice('--data='.length);

// Development override: a shorter stimulus video for the file-analysis section.
const analysisSecondsArg = argv.find((a) => a.startsWith('--analysis-seconds='));
if (analysisSecondsArg) SETTINGS.analysisSeconds = Number(analysisSecondsArg.split('=')[1]);

const log = (s: string) => process.stdout.write(`${s}\n`);

async function fixtures() {
  const { faceImage, ravdessClip } = await import('../e2e/analyze-fixtures');
  const dir = join(PROJECT_ROOT, '.cache', 'bench');
  const y4m = join(dir, 'face-happy-640x480.y4m');
  const wav = join(dir, 'speech-happy.wav');
  if (!existsSync(y4m)) await faceVideoY4m(faceImage('happy'), y4m, { seconds: 4, fps: 30, size: [640, 480] });
  if (!existsSync(wav)) await wavFromFlac(ravdessClip('happy'), wav);
  return { y4m, wav };
}

async function main() {
  const started = Date.now();
  const machine = machineInfo();
  log(`emotion-lens bench${quick ? ' --quick' : ''}: ${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage1m}`);
  const report: Record<string, unknown> = { mode: quick ? 'quick' : 'full', machine, settings: SETTINGS, sections: {} as Record<string, unknown> };
  const sections = report.sections as Record<string, unknown>;
  const timings: Record<string, number> = {};

  // The prior proxy (local provider) in-process, so the live page's /api/prior answers as in `npm start`.
  const proxy: RunningServer = await startServer({ port: 0, hostname: '127.0.0.1', allowedOrigins: [], log: () => undefined, rateLimit: { burst: 10_000, perSecond: 1000 } });
  process.env.PROXY_PORT = String(proxy.port);
  const media = await fixtures();
  const session = await startBenchSession({ fakeVideo: media.y4m, fakeAudio: media.wav });
  machine.chromium = session.browser.version();

  const runSection = async (name: Section, fn: () => Promise<unknown>) => {
    if (!only.has(name)) return;
    const t0 = Date.now();
    // Each section keeps the load it started under: with --only, sections of different runs sit in one report.
    const loadAtStart = Math.round(loadavg()[0] * 100) / 100;
    log(`\n[${name}] (load ${loadAtStart})`);
    try {
      const result = await fn();
      const stamp = { measuredAt: new Date().toISOString(), loadAverage1mAtStart: loadAtStart };
      sections[name] = Array.isArray(result) ? { ...stamp, reports: result } : { ...stamp, ...(result as object) };
    } catch (err) {
      sections[name] = { error: String(err instanceof Error ? err.stack ?? err.message : err).slice(0, 600) };
      log(`  failed: ${String(err).slice(0, 300)}`);
    }
    timings[name] = Math.round((Date.now() - t0) / 1000);
  };

  try {
    await runSection('live', async () => {
      const page = await session.openBenchPage();
      const prosody = await page.evaluate((url) => (globalThis as unknown as { emotionLensBench: { prosody(u: string, n: number): Promise<unknown> } }).emotionLensBench.prosody(url, 20), '/__bench-media/speech-happy.wav').catch((err: unknown) => ({ error: String(err) }));
      await page.close();
      const rows: LiveRow[] = [];
      for (const b of SETTINGS.liveBackends) {
        log(`  ours ${b} (face worker)…`);
        rows.push(await measureOurs(session.browser, session.server.url, b, 'worker', SETTINGS.liveSeconds));
        log(`  human ${b}…`);
        if (SETTINGS.humanBackends.includes(b)) rows.push(await measureHuman(session.browser, session.server.url, b, SETTINGS.liveSeconds));
      }
      if (SETTINGS.faceMainToo) {
        log('  ours wasm (face main thread)…');
        rows.push(await measureOurs(session.browser, session.server.url, 'wasm', 'main', SETTINGS.liveSeconds));
      }
      const ratios = SETTINGS.liveBackends.map((b) => {
        const ours = rows.find((r) => r.pipeline === 'ours' && r.requestedBackend === b && r.faceThread === 'worker');
        const human = rows.find((r) => r.pipeline === 'human' && r.requestedBackend === b);
        return { backend: b, fpsOursOverHuman: ours?.fps && human?.fps ? round(ours.fps / human.fps) : null, faceMsOursOverHuman: ours?.faceMs && human?.faceMs ? round(ours.faceMs / human.faceMs) : null };
      });
      const worker = rows.find((r) => r.pipeline === 'ours' && r.requestedBackend === 'wasm' && r.faceThread === 'worker');
      const main = rows.find((r) => r.pipeline === 'ours' && r.faceThread === 'main');
      const faceThread = worker && main && worker.fps && main.fps ? { workerFps: worker.fps, mainFps: main.fps, faster: worker.fps >= main.fps ? 'worker' : 'main' } : null;
      return { stream: 'Taiwanese performer 01 posed happy, still, 640×480 @30 fps y4m + RAVDESS happy clip (fake devices)', prosodyWindow2s: prosody, rows, ratios, faceThread };
    });

    await runSection('fusion', async () => {
      const page = await session.openBenchPage();
      const rows: unknown[] = [];
      try {
        for (const b of BACKENDS) {
          for (const batch of [1, 64]) {
            const calls = b === 'webgpu' ? (batch === 1 ? SETTINGS.webgpuCalls1 : SETTINGS.webgpuCalls64) : batch === 1 ? SETTINGS.calls1 : SETTINGS.calls64;
            log(`  ${b} batch ${batch} × ${calls}…`);
            rows.push(
              await page
                .evaluate(({ b, batch, calls }) => (globalThis as unknown as { emotionLensBench: { latency(b: string, n: number, c: number): Promise<unknown> } }).emotionLensBench.latency(b, batch, calls), { b, batch, calls })
                .catch((err: unknown) => ({ requested: b, batch, error: String(err).slice(0, 300) })),
            );
          }
        }
      } finally {
        await page.close();
      }
      return { rows };
    });

    await runSection('finetune', async () => {
      const data = await trainData(SETTINGS.ftWindows, PROJECT_ROOT);
      const page = await session.openBenchPage();
      const rows: Record<string, unknown>[] = [];
      try {
        for (const b of BACKENDS) {
          const maxSteps = b === 'webgpu' ? SETTINGS.webgpuMaxSteps : 0;
          log(`  ${b}: ${data.labels.length} windows × ${SETTINGS.ftEpochs} epochs${maxSteps ? ` (stopped after ${maxSteps} steps, extrapolated)` : ''}…`);
          const r = await page
            .evaluate(
              ({ b, d, epochs, maxSteps }) =>
                (globalThis as unknown as { emotionLensBench: { train(r: unknown): Promise<{ backend: string; steps: number; totalMs: number; msPerEpoch: number[]; finalLoss: number; numTensors: { before: number; after: number } }> } }).emotionLensBench.train({
                  backend: b, dims: d.dims, face: Float32Array.from(d.face), voice: Float32Array.from(d.voice), text: Float32Array.from(d.text), labels: Int32Array.from(d.labels), epochs, batchSize: 32, learningRate: 1e-3, maxSteps,
                }),
              { b, d: data, epochs: SETTINGS.ftEpochs, maxSteps },
            )
            .catch((err: unknown) => ({ error: String(err).slice(0, 300) }));
          if ('error' in r) {
            rows.push({ requested: b, ...r });
            continue;
          }
          const stepsPerEpoch = Math.ceil(data.labels.length / 32);
          const msPerStep = r.totalMs / r.steps;
          const full = r.steps >= stepsPerEpoch * SETTINGS.ftEpochs;
          rows.push({
            requested: b, backend: r.backend, steps: r.steps, measuredMs: Math.round(r.totalMs), msPerStep: round(msPerStep),
            // 1,000 windows × 20 epochs: measured when the run was complete, otherwise steps × ms/step.
            ms1000x20: Math.round(full && SETTINGS.ftEpochs === 20 ? r.totalMs : msPerStep * Math.ceil(1000 / 32) * 20),
            extrapolated: !(full && SETTINGS.ftEpochs === 20), finalLoss: round(r.finalLoss, 4), numTensorsGrowth: r.numTensors.after - r.numTensors.before,
          });
        }
      } finally {
        await page.close();
      }
      return { data: data.source, dims: data.dims, batchSize: 32, rows };
    });

    await runSection('coldstart', async () => {
      await buildProduction(SETTINGS.coldReuseDist, log);
      const preview = await startPreview();
      try {
        return { server: 'vite preview (dist/)', rows: await measureColdStart(preview.url, 'wasm', { fakeVideo: media.y4m, fakeAudio: media.wav }) };
      } finally {
        await preview.close();
      }
    });
  } finally {
    await session.close();
  }

  await runSection('analysis', async () => {
    if (!SETTINGS.analysisSeconds) return { skipped: 'not in --quick (each run is ≥ 1 min); run the full bench' };
    const { measureAnalysis } = await import('./bench/analysis');
    return { rows: await measureAnalysis(SETTINGS.analysisSeconds, log) };
  });
  await runSection('accuracy', async () => readAccuracyReports(join(PROJECT_ROOT, 'reports')));

  await proxy.close();
  report.sectionSeconds = timings;
  report.totalSeconds = Math.round((Date.now() - started) / 1000);
  report.pageErrors = session.errors;
  mkdirSync(join(PROJECT_ROOT, 'reports'), { recursive: true });
  const reportPath = join(PROJECT_ROOT, 'reports', 'bench.json');
  // With --only, the other sections of an earlier run of the same mode are kept (each says when it was measured).
  if (onlyArg && existsSync(reportPath)) {
    const previous = JSON.parse(readFileSync(reportPath, 'utf8')) as { mode?: string; sections?: Record<string, unknown> };
    if (previous.mode === report.mode) report.sections = { ...previous.sections, ...sections };
  }
  writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  const { renderBench } = await import('./bench/render');
  log(`\n${renderBench(report)}`);
  log(`\nwrote reports/bench.json in ${report.totalSeconds} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
