import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../shared/labels';
import { calibrate, loadTextModel, type TextModel } from './model';

const shipped = join(__dirname, '../../public/models/text');
const argmaxLabel = (scores: Float32Array) => LABELS[scores.indexOf(Math.max(...scores))];

describe('text model (shipped weights)', () => {
  let model: TextModel;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = await loadTextModel({ dir: shipped }, tf);
  });
  afterAll(() => model?.dispose());

  it('exposes LABELS order, an embedding and probabilities that sum to 1', async () => {
    expect(model.labels).toEqual([...LABELS]);
    const [r] = await model.predict(['Oh my God, that is amazing, I love it!']);
    expect(r.scores).toHaveLength(LABELS.length);
    expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(r.embedding).toHaveLength(model.embeddingSize);
    expect(model.embeddingSize).toBeGreaterThanOrEqual(32);
    expect(await model.predict([])).toEqual([]);
  });

  it('reads clear English emotion words', async () => {
    const [happy, angry, worried] = await model.predict(['I love you so much, this is wonderful!', 'Get out! I am so mad at you!', "I'm scared, I'm afraid something bad will happen"]);
    expect(argmaxLabel(happy.scores)).toBe('happy');
    expect(argmaxLabel(angry.scores)).toBe('angry');
    expect(argmaxLabel(worried.scores)).toBe('worried');
    const [sad, negated] = await model.predict(['My dog died yesterday, I miss him.', "I'm not happy about this."]);
    expect(argmaxLabel(sad.scores)).toBe('sad');
    expect(argmaxLabel(negated.scores)).not.toBe('happy');
    expect(happy.confidence).toBeGreaterThan(0.3);
  });

  it('gives OOV / non-English / emoji-only text low confidence and a soft, neutral-leaning reading', async () => {
    const [english] = await model.predict(['I am so happy today!']);
    for (const text of ['Ich bin heute sehr glücklich', 'Je suis très fâché contre toi', '我今天很高兴', 'أنا غاضب جدا', '🙂🙂🙂', 'qwzx vrbl plonk']) {
      const [r] = await model.predict([text]);
      expect(r.confidence, text).toBeLessThan(0.25);
      expect(r.confidence, text).toBeLessThan(english.confidence);
      expect(Math.max(...r.scores), text).toBeLessThan(0.5);
    }
    expect(argmaxLabel((await model.predict(['我今天很高兴']))[0].scores)).toBe('neutral');
  });

  it('never throws on hostile input and keeps numTensors flat across predictions', async () => {
    await model.predict(['warm-up']);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await model.predict(['so not happy', '', 'x'.repeat(100_000), '\u0000\u0001\uffff']);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('loadTextModel', () => {
  it('refuses metadata whose labels differ from LABELS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'text-model-'));
    const metadata = JSON.parse(readFileSync(join(shipped, 'metadata.json'), 'utf8'));
    copyFileSync(join(shipped, metadata.weightsFile), join(dir, metadata.weightsFile));
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ ...metadata, labels: [...LABELS].reverse() }));
    await expect(loadTextModel({ dir }, tf)).rejects.toThrow(/do not match LABELS .*refusing to load/);
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ ...metadata, labels: [...LABELS, 'disgust'] }));
    await expect(loadTextModel({ dir }, tf)).rejects.toThrow(/do not match LABELS/);
  });

  it('loads over HTTP from a baseUrl (the browser path) and reports a missing file clearly', async () => {
    const server = createServer((req, res) => {
      const file = (req.url ?? '').replace(/^\/models\/text\//, '');
      try {
        res.end(readFileSync(join(shipped, file)));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const model = await loadTextModel({ baseUrl: `${base}/models/text/` }, tf);
      const [r] = await model.predict(['thank you so much, I love it']);
      expect(LABELS[r.scores.indexOf(Math.max(...r.scores))]).toBe('happy');
      model.dispose();
      await expect(loadTextModel({ baseUrl: `${base}/nowhere/` }, tf)).rejects.toThrow(/HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('frees every tensor on dispose', async () => {
    const before = tf.memory().numTensors;
    const model = await loadTextModel({ dir: shipped }, tf);
    await model.predict(['hello']);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.predict(['x'])).rejects.toThrow(/disposed/);
  });
});

describe('calibrate', () => {
  const c = { temperature: 1, lowTrustTemperatureSlope: 3, fallback: [0.35, 0.13, 0.13, 0.13, 0.13, 0.13], coverageFloor: 0.15, coverageFull: 0.6 };
  it('keeps a confident reading at full coverage and falls back to the prior at zero coverage', async () => {
    const logits = [0, 0, 6, 0, 0, 0];
    expect(calibrate(logits, 1, c).scores[2]).toBeGreaterThan(0.9);
    expect(calibrate(logits, 0.7, c).scores[2]).toBe(calibrate(logits, 1, c).scores[2]);
    expect(calibrate(logits, 0.4, c).confidence).toBeLessThan(calibrate(logits, 0.6, c).confidence);
    const none = calibrate(logits, 0, c);
    expect(Array.from(none.scores)).toEqual(c.fallback.map((v) => expect.closeTo(v, 6)));
    expect(none.confidence).toBe(0);
  });
});
