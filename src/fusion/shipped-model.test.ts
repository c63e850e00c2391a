import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { LABELS } from '../shared/labels';
import { FACE_FEATURES, textFeatureNames, VOICE_FEATURES } from './features';
import { loadFusionModel } from './load';

/** The committed model must match the feature schema this build produces (fails → retrain with `npm run train`). */
describe('public/models/fusion', () => {
  beforeAll(async () => useNodeBackend('cpu'));

  it('loads against the current face, voice and text schemas, stays small, and predicts without leaking tensors', async () => {
    const text = JSON.parse(readFileSync('public/models/text/metadata.json', 'utf8')) as { embeddingSize: number };
    const model = await loadFusionModel({ dir: 'public/models/fusion' }, {
      faceFeatures: FACE_FEATURES,
      voiceFeatures: VOICE_FEATURES,
      textFeatures: textFeatureNames(text.embeddingSize),
    });
    expect(model.metadata.weights.bytes).toBeLessThan(1 << 20);
    const face = new Float32Array(FACE_FEATURES.length);
    const before = tf.memory().numTensors;
    const [p] = await model.predict([{ face, voice: null, text: null }]);
    expect(tf.memory().numTensors).toBe(before);
    expect(p.probs).toHaveLength(LABELS.length);
    expect(p.gates.voice).toBe(0);
    model.dispose();
  });
});
