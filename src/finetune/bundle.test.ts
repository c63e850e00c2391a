import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { untrainedBase } from './base';
import { exportBundle, importBundle } from './bundle';
import type { ModelArtifacts } from './types';

describe('model bundle', () => {
  let model: ModelArtifacts;
  beforeAll(async () => {
    await useNodeBackend('cpu');
    model = await untrainedBase();
  });

  it('round-trips weights and metadata', () => {
    const back = importBundle(exportBundle(model));
    expect(back.metadata).toEqual(model.metadata);
    expect(new Uint8Array(back.weights)).toEqual(new Uint8Array(model.weights));
  });

  it('refuses a corrupted file, a wrong schema, a label mismatch and non-model files', () => {
    const text = exportBundle(model);
    const bundle = JSON.parse(text);
    const flipped = { ...bundle, weights: (bundle.weights[0] === 'A' ? 'B' : 'A') + bundle.weights.slice(1) };
    expect(() => importBundle(JSON.stringify(flipped))).toThrow(/checksum does not match/);
    expect(() => importBundle(text.slice(0, text.length / 2))).toThrow(/not valid JSON/);
    expect(() => importBundle('{"hello":1}')).toThrow(/not an Emotion Lens model bundle/);

    const reseal = (metadata: unknown) => exportBundle({ metadata: metadata as ModelArtifacts['metadata'], weights: model.weights });
    const otherSchema = { ...model.metadata, branches: { ...model.metadata.branches, face: { ...model.metadata.branches.face, schema: 'face-other' } } };
    expect(() => importBundle(reseal(otherSchema))).toThrow(/different feature schema.*face schema/);
    const swapped = { ...model.metadata, labels: ['happy', ...model.metadata.labels.slice(1)] };
    expect(() => importBundle(reseal(swapped))).toThrow(/label/);
    const custom = { ...model.metadata, labelSet: 'custom', labels: ['a', 'b', 'c'] };
    expect(() => importBundle(reseal(custom))).toThrow(/Label mismatch: the model names 3 labels but its head has 6/);
    expect(() => importBundle(text, { expectedLabels: ['a', 'b'] })).toThrow(/Label mismatch/);
  });
});
