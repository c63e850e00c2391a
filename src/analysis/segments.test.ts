import { describe, expect, it } from 'vitest';
import { AU_NAMES, BLENDSHAPE_NAMES } from '../face/au';
import type { FaceFrame } from '../shared/types';
import { FaceSegmentReducer, prosodyNotes, sampleTimes, segmentIndexAt, segmentSpans, topAus, transcriptFor } from './segments';

function frame(time: number, present: boolean, au = 0.3): FaceFrame {
  return {
    time, present,
    blendshapes: present ? new Float32Array(BLENDSHAPE_NAMES.length).fill(0.1) : new Float32Array(0),
    aus: present ? new Float32Array(AU_NAMES.length).fill(au) : new Float32Array(0),
    pose: { yaw: 0, pitch: 0, roll: 0 },
    landmarks: new Float32Array(9),
  };
}

describe('segment bookkeeping', () => {
  it('spans cover the file; a tiny tail joins the last segment, a longer one stands alone', () => {
    expect(segmentSpans(6, 2).map((s) => [s.start, s.end])).toEqual([[0, 2], [2, 4], [4, 6]]);
    expect(segmentSpans(6.1, 2).map((s) => [s.start, s.end])).toEqual([[0, 2], [2, 4], [4, 6.1]]);
    expect(segmentSpans(7, 2).map((s) => [s.start, s.end])).toEqual([[0, 2], [2, 4], [4, 6], [6, 7]]);
    expect(segmentSpans(0.1, 2)).toEqual([{ index: 0, start: 0, end: 0.1 }]);
    expect(segmentSpans(0, 2)).toEqual([]);
    expect(segmentSpans(Number.NaN, 2)).toEqual([]);
  });

  it('samples interval midpoints inside the file', () => {
    expect(sampleTimes(1, 5).map((t) => +t.toFixed(3))).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
    expect(sampleTimes(0.05, 5)).toEqual([0.025]);
    expect(sampleTimes(0, 5)).toEqual([]);
  });

  it('finds the segment of a time', () => {
    const spans = segmentSpans(6, 2);
    expect([0, 1.99, 2, 5.9, 99].map((t) => segmentIndexAt(spans, t))).toEqual([0, 0, 1, 2, 2]);
  });

  it('reduces each segment once and drops landmarks; presence counts face frames', () => {
    const reducer = new FaceSegmentReducer(segmentSpans(4, 2));
    for (const t of [0.5, 1.5]) reducer.add(frame(t, true, 0.4));
    for (const t of [2.5, 3.0, 3.5]) reducer.add(frame(t, t !== 3.0, 0.2));
    reducer.close();
    const first = reducer.evidence.get(0)!;
    const second = reducer.evidence.get(1)!;
    expect(first.frames).toBe(2);
    expect(first.summary!.presence).toBe(1);
    expect(first.summary!.auMean.AU12).toBeCloseTo(0.4, 5);
    expect(second.frames).toBe(3);
    expect(second.summary!.presence).toBeCloseTo(2 / 3, 5);
    expect(second.vector).not.toBeNull();
  });

  it('a segment with no face has no face vector but keeps presence 0', () => {
    const reducer = new FaceSegmentReducer(segmentSpans(2, 2));
    reducer.add(frame(0.5, false));
    reducer.close();
    expect(reducer.evidence.get(0)!.vector).toBeNull();
    expect(reducer.evidence.get(0)!.summary!.presence).toBe(0);
  });

  it('joins overlapping cue lines', () => {
    const cues = [{ start: 0, end: 1.5, text: 'Hello' }, { start: 1.5, end: 3, text: 'there  friend' }];
    expect(transcriptFor(cues, { index: 0, start: 0, end: 2 })).toBe('Hello there friend');
    expect(transcriptFor(cues, { index: 2, start: 4, end: 6 })).toBeNull();
  });

  it('top AUs and prosody notes', () => {
    expect(topAus({ presence: 1, auMean: { AU12: 0.8, AU6: 0.5, AU4: 0, AU1: 0.1 } }, 2)).toEqual([
      { au: 'AU12', value: 0.8 },
      { au: 'AU6', value: 0.5 },
    ]);
    expect(topAus(null)).toEqual([]);
    expect(prosodyNotes({ voicedFraction: 0.5, f0RelSemitones: -2.04, loudnessRelDb: 3 })).toEqual(['pitch −2.0 st', 'level +3.0 dB', 'voiced 50%']);
    expect(prosodyNotes({ voicedFraction: 0.01 })).toEqual(['(almost) no voiced speech']);
    expect(prosodyNotes(null)).toEqual([]);
  });
});
