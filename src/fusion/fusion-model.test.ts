import * as tf from '@tensorflow/tfjs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../scripts/fusion/node-tf';
import { LABELS, MODALITIES } from '../shared/labels';
import { FACE_FEATURES, FACE_SCHEMA_VERSION, textFeatureNames, VOICE_FEATURES, VOICE_SCHEMA_VERSION } from './features';
import { FusionModel } from './fusion-model';
import { loadFusionModel, serializeFusionModel } from './load';
import { FUSION_FORMAT, FUSION_FORMAT_VERSION, type FusionMetadata } from './metadata';
import { FusionNet } from './model';

const TEXT = textFeatureNames(4);
const dims = { face: FACE_FEATURES.length, voice: VOICE_FEATURES.length, text: TEXT.length };
const identityNorm = (n: number) => ({ mean: new Array<number>(n).fill(0), std: new Array<number>(n).fill(1) });

function metadataFor(): Omit<FusionMetadata, 'weights'> {
  const pop = (n: number) => ({ mean: new Array<number>(n).fill(0), variance: new Array<number>(n).fill(1), neutralOffset: new Array<number>(n).fill(0) });
  return {
    format: FUSION_FORMAT,
    formatVersion: FUSION_FORMAT_VERSION,
    version: 'test',
    labels: [...LABELS],
    d: 8,
    hidden: 16,
    branches: {
      face: { features: [...FACE_FEATURES], schema: FACE_SCHEMA_VERSION },
      voice: { features: [...VOICE_FEATURES], schema: VOICE_SCHEMA_VERSION },
      text: { features: TEXT, schema: 'text-test' },
    },
    calibration: { mode: 'person-zscore-shrunk', priorCount: 5, minWindows: 5, population: { face: pop(dims.face), voice: pop(dims.voice) } },
    inputNorm: { face: identityNorm(dims.face), voice: identityNorm(dims.voice), text: identityNorm(dims.text) },
    affectTargets: 'class-anchors',
  };
}

const vec = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 13 + i));

describe('FusionModel', () => {
  let model: FusionModel;
  beforeAll(async () => {
    await useNodeBackend('cpu');
    const net = new FusionNet({ inputDims: dims, d: 8, hidden: 16, dropout: 0, seed: 5 });
    const { metadata } = await serializeFusionModel(net, metadataFor());
    model = new FusionModel(net, metadata);
  });

  it('gives absent branches a zero gate and no branch probabilities; gates sum to 1', async () => {
    const [p] = await model.predict([{ face: vec(dims.face, 1), voice: null, text: null }]);
    expect(p.gates.voice).toBe(0);
    expect(p.gates.text).toBe(0);
    expect(p.gates.face + p.gates.joint).toBeCloseTo(1, 5);
    expect(p.branchProbs.voice).toBeNull();
    expect(p.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.probs.length).toBe(LABELS.length);
    expect(Math.abs(p.valence) <= 1 && Math.abs(p.arousal) <= 1).toBe(true);
  });

  it("does not read an absent branch's placeholder", async () => {
    // Same face and voice, text absent in both → identical output; present text gets a gate.
    const [a] = await model.predict([{ face: vec(dims.face, 2), voice: vec(dims.voice, 3), text: null }]);
    const [b] = await model.predict([{ face: vec(dims.face, 2), voice: vec(dims.voice, 3), text: null, prior: null }]);
    expect(Array.from(a.probs)).toEqual(Array.from(b.probs));
    const [c] = await model.predict([{ face: vec(dims.face, 2), voice: vec(dims.voice, 3), text: vec(dims.text, 9) }]);
    expect(c.gates.text).toBeGreaterThan(0);
  });

  it('uses a prior when given (trust > 0) and ignores none', async () => {
    const base = { face: vec(dims.face, 4), voice: null, text: null };
    const prior = { scores: [0, 0, 1, 0, 0, 0], contributions: { face: 1, voice: 0, text: 0 }, confidence: 1 };
    const [without, withPrior] = await model.predict([base, { ...base, prior }]);
    expect(without.priorTrust).toBe(0);
    expect(withPrior.priorTrust).toBeGreaterThan(0);
    expect(withPrior.probs[LABELS.indexOf('happy')]).toBeGreaterThan(without.probs[LABELS.indexOf('happy')]);
  });

  it('handles a sample with no modality at all (joint head only)', async () => {
    const [p] = await model.predict([{ face: null, voice: null, text: null }]);
    expect(p.gates.joint).toBeCloseTo(1, 6);
  });

  it('rejects a wrong feature length with a clear error', async () => {
    await expect(model.predict([{ face: new Float32Array(3), voice: null, text: null }])).rejects.toThrow(
      `fusion input: face vector has 3 values, expected ${dims.face}`,
    );
  });

  it('keeps numTensors flat across 1,000 predictions', async () => {
    const batch = [{ face: vec(dims.face, 1), voice: vec(dims.voice, 2), text: null }];
    await model.predict(batch);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 1000; i++) await model.predict(batch);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loadFusionModel', () => {
  async function saved(edit: (m: FusionMetadata) => void = () => {}): Promise<string> {
    const net = new FusionNet({ inputDims: dims, d: 8, hidden: 16, dropout: 0, seed: 5 });
    const { metadata, weights } = await serializeFusionModel(net, metadataFor());
    net.dispose();
    edit(metadata);
    const dir = await mkdtemp(join(tmpdir(), 'fusion-'));
    await writeFile(join(dir, 'metadata.json'), JSON.stringify(metadata));
    await writeFile(join(dir, metadata.weights.file), new Uint8Array(weights));
    return dir;
  }

  it('round-trips weights from a directory and predicts the same', async () => {
    const dir = await saved();
    const a = await loadFusionModel({ dir });
    const b = await loadFusionModel({ dir });
    const sample = [{ face: vec(dims.face, 1), voice: vec(dims.voice, 2), text: vec(dims.text, 3) }];
    expect(Array.from((await a.predict(sample))[0].probs)).toEqual(Array.from((await b.predict(sample))[0].probs));
    const before = tf.memory().numTensors;
    a.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
    b.dispose();
  });

  it('refuses a different label order', async () => {
    const dir = await saved((m) => ([m.labels[1], m.labels[2]] = [m.labels[2], m.labels[1]]));
    await expect(loadFusionModel({ dir })).rejects.toThrow('fusion metadata: labels mismatch (entry 1 is "happy", expected "angry")');
  });

  it('refuses a different voice feature schema', async () => {
    const dir = await saved((m) => (m.branches.voice.schema = 'prosody-old'));
    await expect(loadFusionModel({ dir })).rejects.toThrow(`fusion metadata: voice schema "prosody-old", this app produces "${VOICE_SCHEMA_VERSION}"`);
  });

  it('refuses reordered face features', async () => {
    const dir = await saved((m) => m.branches.face.features.reverse());
    await expect(loadFusionModel({ dir })).rejects.toThrow(/fusion metadata: face features mismatch \(entry 0 is "pose.roll"/);
  });

  it('refuses truncated weights', async () => {
    const dir = await saved((m) => (m.weights.bytes += 4));
    await expect(loadFusionModel({ dir })).rejects.toThrow(/fusion model: weights file has \d+ bytes, metadata says \d+/);
  });

  it('covers every branch in metadata', () => {
    expect(Object.keys(metadataFor().branches)).toEqual([...MODALITIES]);
  });
});
