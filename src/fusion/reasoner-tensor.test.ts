import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSummary, scoreReasoner } from '../priors/reasoner';
import type { SegmentSummary } from '../shared/types';
import { scoreReasonerBatch } from './reasoner-tensor';

const summaries: SegmentSummary[] = [
  { start: 0, end: 2, face: { presence: 1, auMean: { AU6: 0.6, AU12: 0.8 } } },
  { start: 0, end: 2, voice: { voicedFraction: 0.6, f0RelSemitones: -3, loudnessRelDb: -5, f0SdSemitones: 1 } },
  { start: 0, end: 2, face: { presence: 1, auMean: { AU1: 0.5, AU2: 0.6, AU5: 0.5, AU26: 0.7 } }, voice: { voicedFraction: 0.4, f0RelSemitones: 4 }, text: { transcript: 'what?!', scores: { surprise: 0.8, neutral: 0.2 } } },
  { start: 0, end: 2 },
];

describe('reasoner as tensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches the pure TypeScript reasoner to 1e-5', async () => {
    const inputs = summaries.map(encodeSummary);
    const batch = await scoreReasonerBatch(inputs);
    inputs.forEach((input, i) => {
      const ref = scoreReasoner(input);
      for (let c = 0; c < 6; c++) expect(batch[i].probs[c]).toBeCloseTo(ref.probs[c], 5);
      expect(batch[i].contributions.face).toBeCloseTo(ref.contributions.face, 5);
      expect(batch[i].contributions.voice).toBeCloseTo(ref.contributions.voice, 5);
      expect(batch[i].contributions.text).toBeCloseTo(ref.contributions.text, 5);
    });
  });

  it('does not grow tf.memory().numTensors over 500 predictions', async () => {
    const inputs = summaries.map(encodeSummary);
    await scoreReasonerBatch(inputs); // warm-up creates no persistent tensors either
    const before = tf.memory().numTensors;
    for (let i = 0; i < 500; i++) await scoreReasonerBatch([inputs[i % inputs.length]]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
