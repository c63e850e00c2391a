import { describe, expect, it } from 'vitest';
import { LABELS } from '../shared/labels';
import { parseSubtitles } from '../text/subtitles';
import { csvField, CSV_COLUMNS, exportFileName, labelRuns, segmentCaption, toCsv, toJson, toWebVtt } from './export';
import { analysisResultSchema } from './schema';
import { ANALYSIS_SCHEMA_VERSION, type AnalysisResult, type AnalysisSegment } from './types';

function segment(index: number, label: AnalysisSegment['label'], extra: Partial<AnalysisSegment> = {}): AnalysisSegment {
  const probs = Object.fromEntries(LABELS.map((l) => [l, l === label ? 0.5 : 0.1])) as AnalysisSegment['probs'];
  return {
    index, start: index * 2, end: index * 2 + 2, label, confidence: 0.5, probs, valence: 0.2, arousal: -0.1,
    contributions: { face: 0.6, voice: 0.4, text: 0 }, predictor: 'reasoner',
    face: { frames: 10, presence: 1, topAus: [{ au: 'AU12', value: 0.7 }] },
    voice: { voicedFraction: 0.6, f0RelSemitones: 1.5, notes: ['pitch +1.5 st'] },
    transcript: null, rationale: 'face: AU12', prior: null, ...extra,
  };
}

function result(segments: AnalysisSegment[]): AnalysisResult {
  return {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    file: { name: 'clip.mp4', size: 10, type: 'video/mp4', duration: segments.length * 2, hasVideo: true, hasAudio: true },
    options: { fps: 5, segmentSec: 2, priors: true },
    partial: false, warnings: [], transcriptSource: null, backend: 'cpu',
    timing: { totalMs: 1, stages: {}, realTimeFactor: 4 },
    segments, createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('analysis exports', () => {
  it('CSV quotes commas, quotes and newlines and has one row per segment plus a header', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\ny')).toBe('"x\ny"');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(null)).toBe('');
    const csv = toCsv(result([segment(0, 'happy', { transcript: 'Well, "great"' }), segment(1, 'sad')]));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split(',')).toEqual([...CSV_COLUMNS]);
    expect(lines[1]).toContain('"Well, ""great"""');
    expect(lines[1].startsWith('0,0,2,happy,0.5,0.1,0.1,0.5,')).toBe(true);
  });

  it('WebVTT has one cue per segment at the segment times and parses back', () => {
    const vtt = toWebVtt(result([segment(0, 'happy'), segment(1, 'no signal'), segment(2, 'angry')]));
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    const parsed = parseSubtitles(vtt, 'x.vtt');
    expect(parsed.errors).toEqual([]);
    expect(parsed.cues.map((c) => [c.start, c.end, c.text])).toEqual([
      [0, 2, 'happy 50% (face 60%, voice 40%)'],
      [2, 4, 'no signal'],
      [4, 6, 'angry 50% (face 60%, voice 40%)'],
    ]);
  });

  it('caption lists only modalities that contributed', () => {
    expect(segmentCaption(segment(0, 'sad', { contributions: { face: 0, voice: 0, text: 1 } }))).toBe('sad 50% (text 100%)');
  });

  it('JSON round-trips through the schema; a wrong schemaVersion or label is rejected', () => {
    const r = result([segment(0, 'happy'), segment(1, 'happy')]);
    const back = JSON.parse(toJson(r));
    expect(analysisResultSchema.safeParse(back).success).toBe(true);
    expect(analysisResultSchema.safeParse({ ...back, schemaVersion: 2 }).success).toBe(false);
    back.segments[0].label = 'joy';
    expect(analysisResultSchema.safeParse(back).success).toBe(false);
  });

  it('labelRuns merges consecutive equal labels only', () => {
    const runs = labelRuns([segment(0, 'happy'), segment(1, 'happy'), segment(2, 'sad'), segment(3, 'happy')]);
    expect(runs.map((r) => [r.label, r.start, r.end, r.segments])).toEqual([
      ['happy', 0, 4, [0, 1]],
      ['sad', 4, 6, [2]],
      ['happy', 6, 8, [3]],
    ]);
  });

  it('export file names keep the media base name', () => {
    expect(exportFileName('talk.final.mp4', 'vtt')).toBe('talk.final.emotions.vtt');
    expect(exportFileName('noext', 'csv')).toBe('noext.emotions.csv');
  });
});
