import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { fusionModelFromArtifacts } from '../fusion/load';
import { CURRENT_SCHEMA } from '../fusion/metadata';
import { LABELS } from '../shared/labels';
import { untrainedBase } from './base';
import { syntheticClips } from './synthetic';
import { fineTune, isHeadWeight } from './trainer';
import { DEFAULT_FINETUNE_SETTINGS, type Checkpoint } from './types';

describe('fineTune', () => {
  beforeAll(async () => useNodeBackend('cpu'));

  it('trains a custom 3-label head, keeps the encoders, beats the untrained head, and leaks no tensors over 100 epochs', async () => {
    const base = await untrainedBase();
    const samples = syntheticClips(6, 3);
    const labels = ['engaged', 'confused', 'bored'];
    const settings = { ...DEFAULT_FINETUNE_SETTINGS, epochs: 100 };
    const counts: number[] = [];
    const tensorsBefore = tf.memory().numTensors;
    const result = await fineTune({ base, labels, samples, settings }, { onEpoch: () => void counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(100);
    expect(Math.max(...counts)).toBe(Math.min(...counts));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const first = result.history[0].loss;
    const last = result.history[99].loss;
    expect(last.total).toBeLessThan(first.total * 0.7);
    expect(last.ce).toBeLessThan(first.ce);
    expect(result.after.metrics.accuracy).toBeGreaterThan(result.before.metrics.accuracy);
    expect(result.after.metrics.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.after.points).toHaveLength(samples.length);

    // The saved model loads with its own label names and a 3-way head; encoders came from the base.
    const model = fusionModelFromArtifacts(result.model.metadata, result.model.weights, { ...CURRENT_SCHEMA, customLabels: true });
    const baseModel = fusionModelFromArtifacts(base.metadata, base.weights);
    expect(model.metadata.labels).toEqual(labels);
    expect(model.metadata.labelSet).toBe('custom');
    expect(model.net.v('joint/head/kernel').shape).toEqual([32, 3]);
    expect(isHeadWeight('face/enc1/kernel')).toBe(false);
    expect((await model.predict([{ face: samples[0].face, voice: null, text: null }]))[0].probs).toHaveLength(3);
    expect(() => fusionModelFromArtifacts(result.model.metadata, result.model.weights)).toThrow(/custom label set/);
    model.dispose();
    baseModel.dispose();
  });

  it('resumes from a checkpoint after a cancel and finishes the remaining epochs', async () => {
    const base = await untrainedBase();
    const samples = syntheticClips(4, 2, 5);
    const settings = { ...DEFAULT_FINETUNE_SETTINGS, epochs: 12 };
    let saved: Checkpoint | null = null;
    const stop = new Error('cancelled');
    await expect(
      fineTune({ base, labels: ['yes', 'no'], samples, settings }, {
        onEpoch: (report, checkpoint) => {
          if (checkpoint) saved = checkpoint;
          if (report.epoch === 5) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(saved!.epoch).toBe(5);
    const tensors = tf.memory().numTensors;
    const epochs: number[] = [];
    const result = await fineTune({ base, labels: ['yes', 'no'], samples, settings, resume: saved }, { onEpoch: (r) => void epochs.push(r.epoch) });
    expect(epochs).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(result.history.map((h) => h.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('keeps the base label set (and base head) when fine-tuning the six classes', async () => {
    const base = await untrainedBase();
    const samples = syntheticClips(3, 6, 9);
    const result = await fineTune({ base, labels: [...LABELS], samples, settings: { ...DEFAULT_FINETUNE_SETTINGS, epochs: 3 } });
    expect(result.model.metadata.labelSet).toBe('base');
    expect(() => fusionModelFromArtifacts(result.model.metadata, result.model.weights).dispose()).not.toThrow();
  });

  it('refuses a label with fewer than two clips', async () => {
    const base = await untrainedBase();
    const samples = syntheticClips(3, 2).concat(syntheticClips(1, 3).filter((s) => s.label === 2));
    await expect(fineTune({ base, labels: ['a', 'b', 'c'], samples, settings: DEFAULT_FINETUNE_SETTINGS })).rejects.toThrow(/at least 2 clips.*c/);
  });
});
