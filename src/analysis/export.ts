/**
 * Exports of an analysis: JSON (schema in docs/analysis-json.md), CSV (one row per segment) and WebVTT where each
 * cue is the emotion of one segment, so any player shows the reading as captions. Pure functions.
 */
import { LABELS, MODALITIES } from '../shared/labels';
import { cuesToVtt, type Cue } from '../text/subtitles';
import type { AnalysisResult, AnalysisSegment } from './types';

/** Pretty JSON of the result (what the CLI writes and the Export JSON button downloads). */
export function toJson(result: AnalysisResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; quotes doubled. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS: readonly string[] = [
  'index', 'start', 'end', 'label', 'confidence',
  ...LABELS.map((l) => `p_${l}`),
  'valence', 'arousal',
  ...MODALITIES.map((m) => `contrib_${m}`),
  'face_presence', 'top_aus', 'voiced_fraction', 'prosody', 'transcript', 'rationale', 'predictor',
];

/** CSV with a header row, CRLF line ends (RFC 4180). */
export function toCsv(result: AnalysisResult): string {
  const rows = result.segments.map((s) => [
    s.index, s.start, s.end, s.label, s.confidence,
    ...LABELS.map((l) => s.probs[l]),
    s.valence, s.arousal,
    ...MODALITIES.map((m) => s.contributions[m]),
    s.face?.presence ?? '',
    s.face?.topAus.map((a) => `${a.au}:${a.value}`).join(' ') ?? '',
    s.voice?.voicedFraction ?? '',
    s.voice?.notes.join('; ') ?? '',
    s.transcript ?? '',
    s.rationale,
    s.predictor,
  ]);
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** Caption text of one segment, e.g. "happy 82% (face 60%, voice 25%, text 15%)". */
export function segmentCaption(s: AnalysisSegment): string {
  if (s.label === 'no signal') return 'no signal';
  const parts = MODALITIES.filter((m) => s.contributions[m] > 0).map((m) => `${m} ${Math.round(s.contributions[m] * 100)}%`);
  return `${s.label} ${Math.round(s.confidence * 100)}%${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** WebVTT with one cue per segment (the segment's emotion), in time order. */
export function toWebVtt(result: AnalysisResult): string {
  const cues: Cue[] = result.segments.map((s) => ({ start: s.start, end: s.end, text: segmentCaption(s) }));
  return cuesToVtt(cues);
}

export interface LabelRun {
  start: number;
  end: number;
  label: AnalysisSegment['label'];
  /** Segment indices in the run. */
  segments: number[];
  meanConfidence: number;
}

/** Consecutive segments with the same label merged into runs (the "scenes" of the timeline). */
export function labelRuns(segments: readonly AnalysisSegment[]): LabelRun[] {
  const runs: LabelRun[] = [];
  for (const s of segments) {
    const last = runs[runs.length - 1];
    if (last && last.label === s.label && Math.abs(last.end - s.start) < 1e-6) {
      last.meanConfidence = (last.meanConfidence * last.segments.length + s.confidence) / (last.segments.length + 1);
      last.end = s.end;
      last.segments.push(s.index);
    } else {
      runs.push({ start: s.start, end: s.end, label: s.label, segments: [s.index], meanConfidence: s.confidence });
    }
  }
  return runs;
}

/** A file name for an export: the media name without its extension plus the export's own. */
export function exportFileName(mediaName: string, kind: 'json' | 'csv' | 'vtt'): string {
  const base = mediaName.replace(/\.[^./\\]+$/, '') || 'analysis';
  return `${base}.emotions.${kind}`;
}
