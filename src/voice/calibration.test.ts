import { describe, expect, it } from 'vitest';
import { SpeakerBaseline, fileBaseline, voiceSummary } from './calibration';
import { prosodyWindow, prosodyWindows } from './extract';
import { PROSODY_FEATURES, prosodyFeatureIndex } from './features';
import { alternatingPeriods, pulseTrain, seededRandom } from './synthetic';
import type { ProsodyWindow } from '../shared/types';

const DIM = PROSODY_FEATURES.length;
const SR = 16000;

function fakeWindow(values: (i: number) => number, voicedFraction = 0.5, present = (_i: number) => true): ProsodyWindow {
  return {
    start: 0,
    end: 2,
    sampleRate: SR,
    f0Hz: new Float32Array(200),
    loudness: new Float32Array(200),
    voicedFraction,
    features: Float32Array.from({ length: DIM }, (_, i) => (present(i) ? values(i) : 0)),
    present: Uint8Array.from({ length: DIM }, (_, i) => (present(i) ? 1 : 0)),
  };
}

/** A voice-like signal: pulse train at f0 with a slow pitch glide, scaled by `gain`. */
function voice(f0: number, seconds: number, gain: number): Float32Array {
  const times: number[] = [];
  for (let t = 0.05; t < seconds - 0.03; t += 1 / (f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t)))) times.push(t);
  return pulseTrain(times, times.map(() => 0.3 * gain), seconds, SR);
}

describe('SpeakerBaseline', () => {
  it('matches batch mean and sample variance (Welford) and turns windows into z-scores', () => {
    const rand = seededRandom(7);
    const rows = Array.from({ length: 50 }, () => Array.from({ length: DIM }, () => 10 + 3 * rand()));
    const b = new SpeakerBaseline();
    for (const row of rows) b.update(fakeWindow((i) => row[i]));
    expect(b.count).toBe(50);
    const i = prosodyFeatureIndex('F0semitoneFrom27.5Hz_mean');
    const col = rows.map((r) => Math.fround(r[i]));
    const mean = col.reduce((a, v) => a + v, 0) / col.length;
    const sd = Math.sqrt(col.reduce((a, v) => a + (v - mean) ** 2, 0) / (col.length - 1));
    expect(b.meanOf(i)).toBeCloseTo(mean, 6);
    expect(b.sdOf(i)).toBeCloseTo(sd, 6);
    const z = b.normalize(fakeWindow(() => mean + 2 * sd));
    expect(z.present[i]).toBe(1);
    expect(z.values[i]).toBeCloseTo(2, 4);
  });

  it('skips silent windows and missing features; absent stays absent', () => {
    const b = new SpeakerBaseline();
    const jitter = prosodyFeatureIndex('jitterLocal_mean');
    expect(b.update(fakeWindow(() => 1, 0))).toBe(false);
    b.update(fakeWindow(() => 1, 0.5, (i) => i !== jitter));
    b.update(fakeWindow(() => 2, 0.5, (i) => i !== jitter));
    expect(b.count).toBe(2);
    expect(b.meanOf(jitter)).toBeNull();
    const z = b.normalize(fakeWindow(() => 3));
    expect(z.present[jitter]).toBe(0);
    expect(z.values[jitter]).toBe(0);
    for (const v of z.values) expect(Number.isFinite(v)).toBe(true);
  });

  it('round-trips through JSON and rejects another schema', () => {
    const b = new SpeakerBaseline();
    b.update(fakeWindow((i) => i));
    b.update(fakeWindow((i) => 2 * i));
    const copy = SpeakerBaseline.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    expect(copy.count).toBe(2);
    expect(copy.normalize(fakeWindow((i) => 3 * i)).values).toEqual(b.normalize(fakeWindow((i) => 3 * i)).values);
    expect(() => SpeakerBaseline.fromJSON({ ...b.toJSON(), schema: 'old' })).toThrow('does not match');
    b.reset();
    expect(b.count).toBe(0);
  });
});

describe('voiceSummary', () => {
  it('expresses F0 and level relative to the speaker, so microphone gain cancels', () => {
    const summaries = [1, 0.1].map((gain) => {
      const baseline = fileBaseline(prosodyWindows(voice(120, 6, gain), SR));
      // The same speaker 4 semitones higher and twice as loud (+6 dB).
      const higher = 120 * 2 ** (4 / 12);
      return voiceSummary(prosodyWindow(voice(higher, 2, 2 * gain), SR, 0, 2), baseline);
    });
    for (const s of summaries) {
      expect(s.f0RelSemitones!).toBeGreaterThan(3.5);
      expect(s.f0RelSemitones!).toBeLessThan(4.5);
      expect(s.loudnessRelDb!).toBeGreaterThan(4.5);
      expect(s.loudnessRelDb!).toBeLessThan(7.5);
      expect(s.voicedFraction).toBeGreaterThan(0.8);
      expect(s.jitterPct!).toBeGreaterThanOrEqual(0);
      expect(s.hnrDb!).toBeGreaterThan(0);
      expect(s.syllableRate!).toBeGreaterThan(0);
    }
    expect(summaries[0].loudnessRelDb!).toBeCloseTo(summaries[1].loudnessRelDb!, 1);
    expect(summaries[0].f0RelSemitones!).toBeCloseTo(summaries[1].f0RelSemitones!, 2);
  });

  it('reports jitter in percent and leaves relative values undefined without a baseline', () => {
    const times = alternatingPeriods(125, 0.01, 2);
    const w = prosodyWindow(pulseTrain(times, times.map(() => 0.4), 2, SR, 0.001), SR, 0, 2);
    const s = voiceSummary(w, new SpeakerBaseline());
    expect(s.jitterPct!).toBeGreaterThan(1.7);
    expect(s.jitterPct!).toBeLessThan(2.3);
    expect(s.f0RelSemitones).toBeUndefined();
    expect(s.loudnessRelDb).toBeUndefined();
    expect(s.f0SdSemitones!).toBeLessThan(0.5);
  });
});
