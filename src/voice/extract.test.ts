import { describe, expect, it } from 'vitest';
import { analyzeProsodyFrames, prosodyWindow, prosodyWindows, toMono } from './extract';
import { PROSODY_FEATURES, PROSODY_FEATURE_NAMES, prosodyFeatureIndex } from './features';
import { jitterLocal, shimmerLocalDb } from './voice-quality';
import { alternatingPeriods, pulseTrain, tone, whiteNoise } from './synthetic';
import type { ProsodyWindow } from '../shared/types';

const SR = 16000;
const f = (w: ProsodyWindow, name: string) => {
  const i = prosodyFeatureIndex(name);
  return { value: w.features[i], present: w.present[i] === 1 };
};
const median = (v: number[]) => v.slice().sort((a, b) => a - b)[v.length >> 1];
const voicedF0 = (w: ProsodyWindow) => Array.from(w.f0Hz).filter((x) => x > 0);

function expectWellFormed(w: ProsodyWindow) {
  expect(w.features.length).toBe(PROSODY_FEATURES.length);
  expect(w.present.length).toBe(PROSODY_FEATURES.length);
  for (let i = 0; i < w.features.length; i++) {
    expect(Number.isFinite(w.features[i]), PROSODY_FEATURE_NAMES[i]).toBe(true);
    if (!w.present[i]) expect(w.features[i]).toBe(0);
  }
  for (const v of w.f0Hz) expect(Number.isFinite(v)).toBe(true);
  for (const v of w.loudness) expect(Number.isFinite(v)).toBe(true);
  expect(w.voicedFraction).toBeGreaterThanOrEqual(0);
  expect(w.voicedFraction).toBeLessThanOrEqual(1);
}

describe('feature vector', () => {
  it('has unique names with units and descriptions', () => {
    expect(new Set(PROSODY_FEATURE_NAMES).size).toBe(PROSODY_FEATURE_NAMES.length);
    for (const feat of PROSODY_FEATURES) {
      expect(feat.unit.length).toBeGreaterThan(0);
      expect(feat.description.length).toBeGreaterThan(5);
    }
    expect(() => prosodyFeatureIndex('nope')).toThrow('Unknown prosody feature "nope"');
  });
});

describe('pure tone', () => {
  it.each([110, 220, 440])('finds F0 = %d Hz, fully voiced, high HNR, ~zero jitter and shimmer', (hz) => {
    const w = prosodyWindow(tone(hz, 1, SR), SR, 0, 1);
    expectWellFormed(w);
    expect(w.voicedFraction).toBeGreaterThan(0.9);
    expect(Math.abs(median(voicedF0(w)) / hz - 1)).toBeLessThan(0.005);
    const st = 12 * Math.log2(hz / 27.5);
    expect(f(w, 'F0semitoneFrom27.5Hz_mean').value).toBeCloseTo(st, 1);
    expect(f(w, 'HNRdBACF_mean').value).toBeGreaterThan(25);
    expect(f(w, 'jitterLocal_mean').value).toBeLessThan(0.002);
    expect(f(w, 'shimmerLocaldB_mean').value).toBeLessThan(0.05);
  });
});

describe('pulse train with set jitter', () => {
  it.each([0.005, 0.01, 0.02])('measures jitter (local) = 2·d for alternating periods, d = %d', (d) => {
    const times = alternatingPeriods(125, d, 1.5);
    const x = pulseTrain(times, times.map(() => 0.5), 1.5, SR, 0.001);
    const frames = analyzeProsodyFrames(x, SR);
    const all = Array.from(frames.pulses.keys());
    const measured = jitterLocal(frames.pulses, all)!;
    expect(Math.abs(measured - 2 * d)).toBeLessThan(0.1 * 2 * d + 0.0005);
    // The analytic answer for the exact pulse times.
    expect(jitterLocal(Float64Array.from(times), times.map((_, i) => i))).toBeCloseTo(2 * d, 4);
  });
});

describe('amplitude-modulated pulse train with set shimmer', () => {
  it.each([1.05, 1.1, 1.2])('measures shimmer (local, dB) = 20·log10(%d) for alternating amplitudes', (k) => {
    const times = alternatingPeriods(125, 0, 1.5);
    const amps = times.map((_, i) => (i % 2 ? 0.4 * k : 0.4));
    // Short decay (1 ms) so one pulse's ringing does not reach the next pulse's peak.
    const w = prosodyWindow(pulseTrain(times, amps, 1.5, SR, 0.001), SR, 0, 1.5);
    expectWellFormed(w);
    const expected = 20 * Math.log10(k);
    expect(Math.abs(f(w, 'shimmerLocaldB_mean').value - expected)).toBeLessThan(0.05);
    expect(f(w, 'jitterLocal_mean').value).toBeLessThan(0.003);
    expect(shimmerLocalDb(Float64Array.from(times), Float64Array.from(amps), amps.map((_, i) => i))).toBeCloseTo(expected, 6);
  });
});

describe('white noise', () => {
  it('is (almost) all unvoiced, and voiced-only statistics are marked missing rather than zero', () => {
    const w = prosodyWindow(whiteNoise(1, SR), SR, 0, 1);
    expectWellFormed(w);
    expect(w.voicedFraction).toBeLessThan(0.1);
    expect(f(w, 'loudness_mean').present).toBe(true);
    expect(f(w, 'loudness_mean').value).toBeGreaterThan(0);
    if (w.voicedFraction === 0) {
      expect(f(w, 'F0semitoneFrom27.5Hz_mean').present).toBe(false);
      expect(f(w, 'jitterLocal_mean').present).toBe(false);
    }
  });
});

describe('robustness', () => {
  it('silence: no voicing, F0/jitter/shimmer missing, no NaN', () => {
    const w = prosodyWindow(new Float32Array(SR), SR, 0, 1);
    expectWellFormed(w);
    expect(w.voicedFraction).toBe(0);
    for (const name of ['F0semitoneFrom27.5Hz_mean', 'jitterLocal_mean', 'shimmerLocaldB_mean', 'F1frequency_mean', 'HNRdBACF_mean']) {
      expect(f(w, name).present, name).toBe(false);
    }
    expect(f(w, 'voicedFraction')).toEqual({ value: 0, present: true });
  });

  it('clipping: a tone driven 10× past full scale keeps its F0', () => {
    const x = tone(200, 1, SR, 5).map((v) => Math.max(-1, Math.min(1, v)));
    const w = prosodyWindow(x, SR, 0, 1);
    expectWellFormed(w);
    expect(w.voicedFraction).toBeGreaterThan(0.9);
    expect(Math.abs(median(voicedF0(w)) / 200 - 1)).toBeLessThan(0.01);
  });

  it('a 0.1 s clip yields one short, well-formed window', () => {
    const ws = prosodyWindows(tone(150, 0.1, SR), SR);
    expect(ws).toHaveLength(1);
    expect(ws[0].end - ws[0].start).toBeCloseTo(0.1, 5);
    expectWellFormed(ws[0]);
  });

  it('empty input and NaN/Infinity samples do not throw or leak NaN', () => {
    const empty = prosodyWindows(new Float32Array(0), SR);
    expect(empty).toHaveLength(1);
    expectWellFormed(empty[0]);
    const x = tone(150, 0.5, SR);
    x[100] = NaN;
    x[200] = Infinity;
    expectWellFormed(prosodyWindow(x, SR, 0, 0.5));
  });

  it.each([8000, 22050, 44100, 48000])('%d Hz input gives the same F0', (rate) => {
    const w = prosodyWindow(tone(180, 1, rate), rate, 0, 1);
    expectWellFormed(w);
    expect(w.voicedFraction).toBeGreaterThan(0.9);
    expect(Math.abs(median(voicedF0(w)) / 180 - 1)).toBeLessThan(0.01);
  });

  it('stereo is mixed to mono', () => {
    const l = tone(180, 0.5, SR), r = tone(180, 0.5, SR, 0.25);
    const mono = toMono([l, r]);
    expect(mono[123]).toBeCloseTo((l[123] + r[123]) / 2, 6);
    expect(toMono([])).toHaveLength(0);
  });

  it('windows cover the clip with the requested hop and carry the start time', () => {
    const ws = prosodyWindows(tone(150, 3.5, SR), SR, { windowSec: 2, hopSec: 1, startTime: 10 });
    expect(ws.map((w) => [w.start, w.end])).toEqual([[10, 12], [11, 13], [12, 13.5]]);
    expect(ws[0].f0Hz.length).toBe(200);
    expect(() => prosodyWindows(tone(150, 1, SR), SR, { hopSec: 0 })).toThrow('windowSec and hopSec must be positive');
  });
});
