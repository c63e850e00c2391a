/**
 * `npm run test:soak [-- --windows 10000 --steps 100 --backend wasm]` — the long reliability run: 10,000 live-like
 * windows through the app's inference worker (predictSegments, batch 1, running calibration, local priors, fusion
 * model) and 100 fine-tune steps (trainStep in a worker), sampling tf numTensors/numBytes and the JS heap of the
 * page and the workers after a forced GC (CDP). Passes when tensors stay flat and heaps grow less than noise
 * (≤ 2 MiB + 5 % from the first to the last sample after warm-up). Writes reports/soak.json, prints a table, exits 1
 * on growth or an uncaught page error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from './lib/browser';
import { heapSampler } from './bench/heap';
import { machineInfo } from './bench/machine';
import { startBenchSession } from './bench/session';
import { table } from './bench/table';
import { trainData } from './bench/train-data';

const { values: opts } = parseArgs({
  options: {
    windows: { type: 'string', default: '10000' },
    steps: { type: 'string', default: '100' },
    backend: { type: 'string', default: 'wasm' },
    chunk: { type: 'string', default: '500' },
  },
});
const WINDOWS = Number(opts.windows);
const STEPS = Number(opts.steps);
const CHUNK = Math.min(Number(opts.chunk), WINDOWS);
const BACKEND = opts.backend!;
/** Allowed heap growth: a fixed 2 MiB plus 5 % of the first sample (GC and JIT noise). */
const allowedGrowth = (first: number) => 2 * 2 ** 20 + 0.05 * first;

interface Sample {
  windows: number;
  numTensors: number;
  numBytes: number;
  pageHeap: number;
  workerHeap: number | null;
  msPerWindow: number;
}

type Bench = {
  startInference(b: string): Promise<{ backend: string; fusion: string }>;
  soakChunk(n: number, offset: number): Promise<{ ms: number; memory: { numTensors: number; numBytes: number } }>;
  train(r: unknown): Promise<{ backend: string; steps: number; totalMs: number; numTensors: { before: number; after: number; samples: number[] } }>;
};

function growth(values: number[]): { first: number; last: number; growth: number; ok: boolean } {
  const first = values[0];
  const last = values[values.length - 1];
  return { first, last, growth: last - first, ok: last - first <= allowedGrowth(first) };
}

async function main() {
  const machine = machineInfo();
  console.log(`soak: ${WINDOWS} windows + ${STEPS} fine-tune steps on ${BACKEND} (${machine.cpuModel}, ${machine.cores} cores)`);
  const session = await startBenchSession();
  const report: Record<string, unknown> = { createdAt: new Date().toISOString(), machine: { ...machine, chromium: session.browser.version() }, settings: { windows: WINDOWS, steps: STEPS, backend: BACKEND, chunk: CHUNK } };
  let failures: string[];
  try {
    const page = await session.openBenchPage();
    const heaps = await heapSampler(session.browser, page);
    const bench = async <T>(fn: string, ...args: unknown[]): Promise<T> =>
      page.evaluate(({ fn, args }) => ((globalThis as unknown as { emotionLensBench: Record<string, (...a: unknown[]) => Promise<unknown>> }).emotionLensBench[fn](...args)), { fn, args }) as Promise<T>;
    const started = await bench<Awaited<ReturnType<Bench['startInference']>>>('startInference', BACKEND);
    console.log(`inference worker on ${started.backend}, fusion model: ${started.fusion}`);
    // Warm-up chunk (kernels, JIT, caches), not counted.
    await bench('soakChunk', Math.min(200, CHUNK), 0);
    const samples: Sample[] = [];
    const t0 = Date.now();
    for (let done = 0; done < WINDOWS; done += CHUNK) {
      const n = Math.min(CHUNK, WINDOWS - done);
      const r = await bench<Awaited<ReturnType<Bench['soakChunk']>>>('soakChunk', n, 1000 + done);
      samples.push({ windows: done + n, numTensors: r.memory.numTensors, numBytes: r.memory.numBytes, pageHeap: await heaps.page(), workerHeap: await heaps.worker('inference'), msPerWindow: r.ms / n });
      process.stdout.write(`\r  ${done + n}/${WINDOWS} windows`);
    }
    process.stdout.write('\n');
    const live = {
      backend: started.backend,
      seconds: Math.round((Date.now() - t0) / 1000),
      numTensors: growth(samples.map((s) => s.numTensors)),
      numBytes: growth(samples.map((s) => s.numBytes)),
      pageHeap: growth(samples.map((s) => s.pageHeap)),
      workerHeap: samples.every((s) => s.workerHeap !== null) ? growth(samples.map((s) => s.workerHeap!)) : null,
      samples,
    };
    live.numTensors.ok = live.numTensors.growth === 0;
    live.numBytes.ok = live.numBytes.growth === 0;

    // 100 fine-tune steps; the worker heap is sampled while it trains.
    const data = await trainData(Math.max(64, STEPS * 32 > 1000 ? 1000 : STEPS * 32), PROJECT_ROOT);
    const trainHeaps: number[] = [];
    let training = true;
    const poll = (async () => {
      while (training) {
        const h = await heaps.worker('train-worker').catch((err: unknown) => (console.error(String(err)), null));
        if (h !== null && training) trainHeaps.push(h);
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const ft = await page
      .evaluate(
        ({ d, steps, backend }) =>
          (globalThis as unknown as { emotionLensBench: Bench }).emotionLensBench.train({
            backend, dims: d.dims, face: Float32Array.from(d.face), voice: Float32Array.from(d.voice), text: Float32Array.from(d.text), labels: Int32Array.from(d.labels), epochs: 1000, batchSize: 32, learningRate: 1e-3, maxSteps: steps,
          }),
        { d: data, steps: STEPS, backend: BACKEND },
      )
      .finally(() => {
        training = false;
      });
    await poll;
    const tensorSamples = ft.numTensors.samples;
    const finetune = {
      backend: ft.backend,
      steps: ft.steps,
      seconds: Math.round(ft.totalMs / 100) / 10,
      numTensors: { ...growth(tensorSamples.length ? tensorSamples : [ft.numTensors.before]), before: ft.numTensors.before, after: ft.numTensors.after },
      workerHeap: trainHeaps.length >= 3 ? growth(trainHeaps.slice(1)) : null,
    };
    finetune.numTensors.ok = finetune.numTensors.growth === 0 && ft.numTensors.after === ft.numTensors.before;
    await heaps.close();
    report.live = live;
    report.finetune = finetune;
    report.pageErrors = session.errors;

    const mb = (x: number | undefined | null) => (x === null || x === undefined ? null : Math.round((x / 2 ** 20) * 100) / 100);
    const rows: (string | number | null)[][] = [
      ['live numTensors', live.numTensors.first, live.numTensors.last, live.numTensors.growth, live.numTensors.ok ? 'ok' : 'GROWS'],
      ['live tf numBytes (MiB)', mb(live.numBytes.first), mb(live.numBytes.last), mb(live.numBytes.growth), live.numBytes.ok ? 'ok' : 'GROWS'],
      ['page JS heap (MiB)', mb(live.pageHeap.first), mb(live.pageHeap.last), mb(live.pageHeap.growth), live.pageHeap.ok ? 'ok' : 'GROWS'],
      ['inference worker heap (MiB)', mb(live.workerHeap?.first), mb(live.workerHeap?.last), mb(live.workerHeap?.growth), live.workerHeap ? (live.workerHeap.ok ? 'ok' : 'GROWS') : 'not sampled'],
      ['fine-tune numTensors', finetune.numTensors.first, finetune.numTensors.last, finetune.numTensors.growth, finetune.numTensors.ok ? 'ok' : 'GROWS'],
      ['fine-tune worker heap (MiB)', mb(finetune.workerHeap?.first), mb(finetune.workerHeap?.last), mb(finetune.workerHeap?.growth), finetune.workerHeap ? (finetune.workerHeap.ok ? 'ok' : 'GROWS') : 'too few samples'],
    ];
    console.log(`\n${WINDOWS} windows on ${live.backend} in ${live.seconds} s (${(samples.reduce((a, s) => a + s.msPerWindow, 0) / samples.length).toFixed(2)} ms/window); ${finetune.steps} fine-tune steps in ${finetune.seconds} s`);
    console.log(table(['measure', 'first', 'last', 'growth', 'verdict'], rows));
    failures = rows.filter((r) => r[4] === 'GROWS').map((r) => String(r[0]));
    if (session.errors.length) failures.push(`${session.errors.length} uncaught page errors`);
  } finally {
    await session.close();
  }
  report.failures = failures;
  mkdirSync(join(PROJECT_ROOT, 'reports'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, 'reports', 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${failures.length ? `FAILED: ${failures.join('; ')}` : 'passed: no growth beyond noise'} → reports/soak.json`);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
