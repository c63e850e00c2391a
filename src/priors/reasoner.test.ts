import { describe, expect, it } from 'vitest';
import { AU_NAMES } from '../face/au';
import { LABELS } from '../shared/labels';
import { encodeSummary, reason, scoreReasoner } from './reasoner';

const face = (aus: Record<string, number>) => ({ presence: 1, auMean: aus });

describe('local reasoner', () => {
  it('reads a smile-dominant AU vector (AU6 + AU12) as happy', () => {
    const prior = reason({ start: 0, end: 2, face: face({ AU6: 0.6, AU12: 0.8, AU25: 0.3 }) });
    expect(prior.label).toBe('happy');
    expect(prior.scores.happy).toBeGreaterThan(0.5);
    expect(prior.rationale).toMatch(/AU12/);
  });

  it('follows the EMFACS prototypes for sad, surprise and angry', () => {
    expect(reason({ start: 0, end: 1, face: face({ AU1: 0.6, AU4: 0.5, AU15: 0.6 }) }).label).toBe('sad');
    expect(reason({ start: 0, end: 1, face: face({ AU1: 0.7, AU2: 0.7, AU5: 0.6, AU26: 0.7 }) }).label).toBe('surprise');
    expect(reason({ start: 0, end: 1, face: face({ AU4: 0.7, AU23_24: 0.6, AU9: 0.4 }) }).label).toBe('angry');
    expect(reason({ start: 0, end: 1, face: face({ AU1: 0.5, AU4: 0.5, AU20: 0.6 }) }).label).toBe('worried');
  });

  it('calls a relaxed face at baseline voice neutral', () => {
    const prior = reason({ start: 0, end: 1, face: face({}), voice: { voicedFraction: 0.6, f0RelSemitones: 0, loudnessRelDb: 0 } });
    expect(prior.label).toBe('neutral');
  });

  it('uses prosody alone when there is no face: quiet, low and flat reads as sad', () => {
    const prior = reason({ start: 0, end: 1, voice: { voicedFraction: 0.5, f0RelSemitones: -3, f0SdSemitones: 0.8, loudnessRelDb: -6, syllableRate: 2 } });
    expect(prior.label).toBe('sad');
    expect(prior.contributions).toEqual({ face: 0, voice: 1, text: 0 });
  });

  it('gives probabilities summing to 1 and contributions summing to 1 over present modalities', () => {
    const prior = reason({
      start: 0, end: 1,
      face: face({ AU12: 0.3 }),
      voice: { voicedFraction: 0.5, f0RelSemitones: 2 },
      text: { transcript: 'ok', scores: { happy: 0.7, neutral: 0.3 } },
    });
    const sum = LABELS.reduce((a, l) => a + prior.scores[l], 0);
    expect(sum).toBeCloseTo(1, 5);
    expect(prior.contributions.face + prior.contributions.voice + prior.contributions.text).toBeCloseTo(1, 5);
    expect(prior.source).toBe('local');
  });

  it('is uniform with zero contributions when nothing is observed', () => {
    const out = scoreReasoner(encodeSummary({ start: 0, end: 1 }));
    for (const p of out.probs) expect(p).toBeCloseTo(1 / 6, 5);
    expect(out.contributions).toEqual({ face: 0, voice: 0, text: 0 });
  });

  it('ignores non-finite inputs instead of propagating NaN', () => {
    const aus = Object.fromEntries(AU_NAMES.map((a) => [a, Number.NaN]));
    const prior = reason({ start: 0, end: 1, face: face(aus), voice: { voicedFraction: 1, f0RelSemitones: Infinity } });
    for (const l of LABELS) expect(Number.isFinite(prior.scores[l])).toBe(true);
  });
});
