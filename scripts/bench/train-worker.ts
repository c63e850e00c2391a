/**
 * Benchmark worker: times BDCL fine-tuning (src/training/train-step.ts trainStep, the function the Teach view's
 * fine-tune worker and the Node trainer run) on one backend, off the page's main thread.
 */
import * as tf from '@tensorflow/tfjs';
import { expose } from 'comlink';
import type { TfBackendName } from '../../src/env';
import { selectBackend } from '../../src/fusion/backend';
import type { FusionSample } from '../../src/fusion/batch';
import { DEFAULT_FUSION_CONFIG, FusionNet } from '../../src/fusion/model';
import type { Modality } from '../../src/shared/labels';
import { DEFAULT_LOSS_CONFIG, trainStep } from '../../src/training/train-step';

export interface TrainBenchRequest {
  backend: TfBackendName;
  dims: Record<Modality, number>;
  /** Flat rows per branch (windows × dim); a NaN first entry marks a missing branch for that window. */
  face: Float32Array;
  voice: Float32Array;
  text: Float32Array;
  labels: Int32Array;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Stop early after this many steps (soak: a fixed step count). 0 = all. */
  maxSteps?: number;
}

export interface TrainBenchResult {
  backend: string;
  windows: number;
  epochs: number;
  steps: number;
  totalMs: number;
  msPerEpoch: number[];
  finalLoss: number;
  numTensors: { before: number; after: number; samples: number[] };
  heapBytes: number[];
}

function row(flat: Float32Array, dim: number, i: number): Float32Array | null {
  const r = flat.subarray(i * dim, (i + 1) * dim);
  return Number.isNaN(r[0]) ? null : r;
}

export const trainBenchApi = {
  async run(req: TrainBenchRequest): Promise<TrainBenchResult> {
    const choice = await selectBackend(req.backend);
    const n = req.labels.length;
    const samples: FusionSample[] = Array.from({ length: n }, (_, i) => ({
      face: row(req.face, req.dims.face, i),
      voice: row(req.voice, req.dims.voice, i),
      text: row(req.text, req.dims.text, i),
      prior: null,
    }));
    const before = tf.memory().numTensors;
    const net = new FusionNet({ ...DEFAULT_FUSION_CONFIG, inputDims: req.dims });
    const optimizer = tf.train.adam(req.learningRate);
    const msPerEpoch: number[] = [];
    const tensorSamples: number[] = [];
    const heapBytes: number[] = [];
    let steps = 0;
    let finalLoss = Number.NaN;
    const t0 = performance.now();
    try {
      for (let epoch = 0; epoch < req.epochs; epoch++) {
        const e0 = performance.now();
        // Seeded shuffle per epoch (LCG), so runs are comparable across backends.
        const order = Array.from({ length: n }, (_, i) => i);
        let s = 12345 + epoch;
        for (let i = n - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) >>> 0;
          const j = s % (i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        for (let b = 0; b < n; b += req.batchSize) {
          const idx = order.slice(b, b + req.batchSize);
          const terms = await trainStep(net, optimizer, { samples: idx.map((i) => samples[i]), labels: Int32Array.from(idx, (i) => req.labels[i]), seed: steps }, DEFAULT_LOSS_CONFIG);
          finalLoss = terms.total;
          steps++;
          if (steps % 10 === 0) {
            tensorSamples.push(tf.memory().numTensors);
            const mem = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
            if (mem) heapBytes.push(mem.usedJSHeapSize);
            // Let queued tasks run (e.g. the soak's DevTools heap probes, which a tight await loop would starve).
            await new Promise((r) => setTimeout(r, 0));
          }
          if (req.maxSteps && steps >= req.maxSteps) break;
        }
        msPerEpoch.push(performance.now() - e0);
        if (req.maxSteps && steps >= req.maxSteps) break;
      }
    } finally {
      net.dispose();
      optimizer.dispose();
    }
    return {
      backend: choice.backend,
      windows: n,
      epochs: msPerEpoch.length,
      steps,
      totalMs: performance.now() - t0,
      msPerEpoch,
      finalLoss,
      numTensors: { before, after: tf.memory().numTensors, samples: tensorSamples },
      heapBytes,
    };
  },
};

export type TrainBenchApi = typeof trainBenchApi;
expose(trainBenchApi);
