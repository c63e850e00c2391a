/**
 * Benchmark page (scripts/bench.ts, scripts/soak.ts): runs the app's own inference worker
 * (workers/inference.worker.ts, the same file and API the app uses) and a trainStep worker, and times them.
 * Exposed as `window.emotionLensBench`; every function returns plain numbers.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { WorkerBridge } from '../../src/bridge/worker-bridge';
import type { TfBackendName } from '../../src/env';
import type { SegmentRequest } from '../../src/fusion/engine';
import type { InferenceApi, InferenceStatus } from '../../src/fusion/worker-api';
import { untrainedBase } from '../../src/finetune/base';
import { AU_NAMES } from '../../src/face/au';
import { FACE_FEATURES, VOICE_FEATURES } from '../../src/fusion/features';
import { decodeAudioFile } from '../../src/voice/decode';
import { prosodyWindow } from '../../src/voice/extract';
import type { TrainBenchApi, TrainBenchRequest, TrainBenchResult } from './train-worker';
import { seededRandom as rng } from '../../src/training/seeded-random';

/** p-th percentile (0..100) by nearest rank of a sorted copy. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const TRANSCRIPTS = ['I am so happy, this is wonderful news!', 'I feel so sad and lonely.', 'This is outrageous!', 'The meeting starts at three.', '', 'Wow, I did not expect that!'];

/** A live-like segment request: face and voice vectors in realistic ranges, AU summary, transcript. */
export function syntheticRequest(i: number, random: () => number): SegmentRequest {
  const face = Float32Array.from(FACE_FEATURES, (name) => (name.startsWith('pose.') ? (random() - 0.5) * 0.4 : random() * 0.5));
  const voice = Float32Array.from(VOICE_FEATURES, () => (random() - 0.5) * 4);
  const auMean = Object.fromEntries(AU_NAMES.map((au) => [au, random() * 0.6]));
  const transcript = TRANSCRIPTS[i % TRANSCRIPTS.length];
  return {
    start: i,
    end: i + 2,
    summary: { start: i, end: i + 2, face: { presence: 1, auMean }, voice: { voicedFraction: 0.6, f0RelSemitones: random() * 4 - 2, loudnessRelDb: random() * 6 - 3 }, text: null },
    face,
    voice: i % 7 === 3 ? null : voice,
    transcript: transcript || null,
    person: 'bench',
  };
}

let inference: WorkerBridge<InferenceApi> | null = null;
let inferenceStatus: InferenceStatus | null = null;

/** (Re)starts the app's inference worker on `backend` with a fusion model (an untrained one of the app's schema
 * when no base model is deployed, so the fusion path — not the reasoner — is what gets timed). */
async function startInference(backend: TfBackendName): Promise<{ status: InferenceStatus; fusion: string }> {
  inference?.terminate();
  inference = new WorkerBridge<InferenceApi>({
    create: () => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }),
    onStart: async (remote) => {
      inferenceStatus = await remote.init({ backend });
    },
  });
  await inference.call(async () => undefined);
  let fusion = inferenceStatus!.models.fusion === 'loaded' ? `deployed ${inferenceStatus!.models.fusionVersion ?? ''}` : '';
  if (!fusion) {
    await tf.setBackend('cpu');
    const res = await fetch(`${import.meta.env.BASE_URL}models/text/metadata.json`);
    const meta = (res.ok ? await res.json() : {}) as { embeddingSize?: number };
    const artifacts = await untrainedBase(inferenceStatus!.models.text === 'loaded' ? meta.embeddingSize ?? 0 : 0);
    const models = await inference.call((w) => w.useFusionModel(Comlink.transfer(artifacts, [artifacts.weights])));
    fusion = models.fusion === 'loaded' ? `untrained (${models.fusionVersion})` : `none (${models.fusionError ?? 'reasoner'})`;
  }
  return { status: inferenceStatus!, fusion };
}

export interface LatencyResult {
  backend: string;
  requested: string;
  fusion: string;
  batch: number;
  calls: number;
  /** Inside the worker, per call (ms). */
  workerP50: number;
  workerP95: number;
  /** Page → worker → page, per call (ms). */
  roundTripP50: number;
  roundTripP95: number;
  /** Worker ms per window at p50. */
  perWindowP50: number;
  numTensorsGrowth: number;
}

async function latency(backend: TfBackendName, batch: number, calls: number, warmup = 5): Promise<LatencyResult> {
  const { status, fusion } = await startInference(backend);
  const random = rng(1);
  const batches = Array.from({ length: 8 }, (_, k) => Array.from({ length: batch }, (_, i) => syntheticRequest(k * batch + i, random)));
  for (let i = 0; i < warmup; i++) await inference!.call((w) => w.predictSegments(batches[i % batches.length], { calibration: 'running' }));
  const before = await inference!.call((w) => w.memory());
  const worker: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const { ms, results } = await inference!.call((w) => w.predictSegments(batches[i % batches.length], { calibration: 'running' }));
    roundTrip.push(performance.now() - t0);
    worker.push(ms);
    if (results.length !== batch) throw new Error(`expected ${batch} results, got ${results.length}`);
  }
  const after = await inference!.call((w) => w.memory());
  return {
    backend: status.backend,
    requested: backend,
    fusion,
    batch,
    calls,
    workerP50: percentile(worker, 50),
    workerP95: percentile(worker, 95),
    roundTripP50: percentile(roundTrip, 50),
    roundTripP95: percentile(roundTrip, 95),
    perWindowP50: percentile(worker, 50) / batch,
    numTensorsGrowth: after.numTensors - before.numTensors,
  };
}

export interface SoakSample {
  windows: number;
  numTensors: number;
  numBytes: number;
  pageHeapBytes: number | null;
}

/** Soak: `windows` live-like predictSegments calls (batch 1), sampling worker tensors every `every` calls. The
 * caller (Node, over CDP) samples heaps between chunks: this returns after `windows` calls. */
async function soakChunk(windows: number, offset: number): Promise<{ ms: number; memory: { numTensors: number; numBytes: number; backend: string } }> {
  if (!inference) throw new Error('call startInference first');
  const random = rng(offset + 1);
  const t0 = performance.now();
  for (let i = 0; i < windows; i++) {
    const { results } = await inference.call((w) => w.predictSegments([syntheticRequest(offset + i, random)], { calibration: 'running' }));
    const sum = Object.values(results[0].probs).reduce((a, b) => a + b, 0);
    if (!(Math.abs(sum - 1) < 1e-3)) throw new Error(`window ${offset + i}: probabilities sum to ${sum}`);
  }
  return { ms: performance.now() - t0, memory: await inference.call((w) => w.memory()) };
}

export interface TextOutcome {
  ok: boolean;
  label?: string;
  probsSum?: number;
  finite?: boolean;
  happy?: number;
  textScores?: number[] | null;
  ms?: number;
  error?: string;
}

/** Reliability: each transcript through predictSegments (with a face window) in the app's inference worker. A
 * thrown error is a defined outcome too (it must be an Error with a message, and the worker must still answer). */
async function predictTexts(backend: TfBackendName, texts: string[]): Promise<TextOutcome[]> {
  if (!inference) await startInference(backend);
  const random = rng(3);
  const out: TextOutcome[] = [];
  for (const [i, text] of texts.entries()) {
    const request = { ...syntheticRequest(i, random), transcript: text };
    try {
      const t0 = performance.now();
      const { results } = await inference!.call((w) => w.predictSegments([request], { calibration: 'running' }));
      const r = results[0];
      const probs = Object.values(r.probs);
      out.push({ ok: true, label: r.label, probsSum: probs.reduce((a, b) => a + b, 0), finite: probs.every(Number.isFinite) && Number.isFinite(r.valence) && Number.isFinite(r.arousal), happy: r.probs.happy, textScores: r.text?.scores ?? null, ms: performance.now() - t0 });
    } catch (err) {
      out.push({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : `non-Error thrown: ${String(err)}` });
    }
  }
  return out;
}

async function train(request: TrainBenchRequest): Promise<TrainBenchResult> {
  const bridge = new WorkerBridge<TrainBenchApi>({
    create: () => new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'train-bench' }),
  });
  try {
    return await bridge.call((w) => w.run(Comlink.transfer(request, [request.face.buffer, request.voice.buffer, request.text.buffer])));
  } finally {
    bridge.terminate();
  }
}

/** Prosody stage: one 2 s window (what the live AudioWorklet computes every second) on a real speech clip. */
async function prosody(audioUrl: string, repeats: number): Promise<{ msP50: number; msP95: number; windows: number }> {
  const decoded = await decodeAudioFile(await (await fetch(audioUrl)).blob());
  const times: number[] = [];
  const last = Math.max(0, decoded.duration - 2);
  for (let i = 0; i < repeats; i++) {
    const start = (i * 0.5) % Math.max(0.5, last);
    const t0 = performance.now();
    prosodyWindow(decoded.samples, decoded.sampleRate, start, start + 2);
    times.push(performance.now() - t0);
  }
  return { msP50: percentile(times, 50), msP95: percentile(times, 95), windows: repeats };
}

Object.assign(globalThis, {
  emotionLensBench: {
    latency,
    train,
    prosody,
    startInference: async (backend: TfBackendName) => {
      const { status, fusion } = await startInference(backend);
      return { backend: status.backend, fusion };
    },
    soakChunk,
    predictTexts,
    stopInference: () => inference?.terminate(),
    ready: true,
  },
});
