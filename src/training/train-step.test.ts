import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { TOY_DIMS, toyBatch } from '../../scripts/fusion/toy-batch';
import { FusionNet } from '../fusion/model';
import { DEFAULT_LOSS_CONFIG, lossAndGradNorm, trainStep } from './train-step';

const dims = TOY_DIMS;

describe('trainStep', () => {
  beforeAll(async () => useNodeBackend('cpu'));

  it('keeps tf.memory().numTensors flat across 100 steps and lowers the loss', async () => {
    const net = new FusionNet({ inputDims: dims, d: 8, hidden: 16, dropout: 0.1, seed: 3 });
    const optimizer = tf.train.adam(0.01);
    const batch = toyBatch(1);
    const first = await trainStep(net, optimizer, batch, DEFAULT_LOSS_CONFIG);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 100; i++) last = await trainStep(net, optimizer, { ...batch, seed: i }, DEFAULT_LOSS_CONFIG);
    expect(tf.memory().numTensors).toBe(before);
    expect(last.total).toBeLessThan(first.total);
    expect(Number.isFinite(last.inter) && Number.isFinite(last.intra)).toBe(true);
    optimizer.dispose();
    net.dispose();
  });
});

describe('BDCL gradients agree across backends (cpu vs wasm, 1e-4)', () => {
  const results: Record<string, { loss: number; gradNorm: number }> = {};
  afterAll(async () => useNodeBackend('cpu'));

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`computes loss and gradient norm on ${backend}`, async () => {
      await useNodeBackend(backend);
      const net = new FusionNet({ inputDims: dims, d: 8, hidden: 16, dropout: 0, seed: 11 });
      results[backend] = await lossAndGradNorm(net, toyBatch(7), DEFAULT_LOSS_CONFIG);
      net.dispose();
      expect(results[backend].gradNorm).toBeGreaterThan(0);
    });
  }

  it('cpu and wasm agree', () => {
    expect(Math.abs(results.cpu.loss - results.wasm.loss)).toBeLessThan(1e-4);
    expect(Math.abs(results.cpu.gradNorm - results.wasm.gradNorm)).toBeLessThan(1e-4);
  });
});
