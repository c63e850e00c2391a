import { describe, expect, it } from 'vitest';
import { LABELS } from '../../src/shared/labels';
import { peerScoresToLabels } from './peer-labels';

describe('peerScoresToLabels', () => {
  it('maps face-api names, drops disgust and renormalises', () => {
    const probs = peerScoresToLabels({ neutral: 0.1, happy: 0.2, sad: 0, angry: 0, fearful: 0.1, disgusted: 0.5, surprised: 0.1 });
    expect(probs.map((p) => Number(p.toFixed(6)))).toEqual([0.2, 0, 0.4, 0, 0.2, 0.2]);
    expect(LABELS[probs.indexOf(Math.max(...probs))]).toBe('happy');
  });
  it('maps human names (fear, surprise)', () => {
    const probs = peerScoresToLabels({ fear: 0.6, surprise: 0.2, disgust: 0.2 });
    expect(probs[LABELS.indexOf('worried')]).toBeCloseTo(0.75, 6);
    expect(probs[LABELS.indexOf('surprise')]).toBeCloseTo(0.25, 6);
  });
  it('is uniform when only unmapped classes have mass', () => {
    expect(peerScoresToLabels({ disgust: 1 })).toEqual(LABELS.map(() => 1 / LABELS.length));
  });
});
