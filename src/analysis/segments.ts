/**
 * Pure segment bookkeeping for file analysis: where segments and sampled frames fall, how per-segment face,
 * voice and transcript evidence become a SegmentRequest for the inference worker, and how its reading becomes a
 * row of the result. No DOM: shared by the browser pipeline and the unit tests.
 */
import { AU_NAMES } from '../face/au';
import type { SegmentRequest, SegmentResult } from '../fusion/engine';
import { faceWindowVector, voiceSegmentVector } from '../fusion/features';
import { summarizeFaceFrames } from '../priors/summary';
import { LABELS, type Label } from '../shared/labels';
import type { FaceFrame, ProsodyWindow, SegmentSummary } from '../shared/types';
import { cuesInRange, type Cue } from '../text/subtitles';
import type { SpeakerBaseline } from '../voice/calibration';
import { voiceSummary } from '../voice/calibration';
import type { AnalysisSegment } from './types';

/** A trailing piece shorter than this is merged into the previous segment instead of standing alone. */
const MIN_TAIL_SEC = 0.25;

export interface SegmentSpan {
  index: number;
  start: number;
  end: number;
}

/** Consecutive segments of `segmentSec` covering [0, duration); a tiny tail joins the last segment. */
export function segmentSpans(duration: number, segmentSec: number): SegmentSpan[] {
  if (!(duration > 0) || !(segmentSec > 0)) return [];
  const spans: SegmentSpan[] = [];
  for (let start = 0; start < duration - 1e-9; start += segmentSec) {
    const end = Math.min(duration, start + segmentSec);
    if (end - start < MIN_TAIL_SEC && spans.length) spans[spans.length - 1].end = end;
    else spans.push({ index: spans.length, start, end });
  }
  return spans;
}

/** Media times to sample at `fps`: the middle of each 1/fps interval, strictly inside the file. */
export function sampleTimes(duration: number, fps: number): number[] {
  if (!(duration > 0) || !(fps > 0)) return [];
  const step = 1 / fps;
  const times: number[] = [];
  for (let t = step / 2; t < duration; t += step) times.push(t);
  if (times.length === 0) times.push(duration / 2);
  return times;
}

/** Index of the segment containing time t (the last one for t past the end). */
export function segmentIndexAt(spans: readonly SegmentSpan[], t: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (spans[mid].start <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** What one segment's frames reduce to; the frames themselves are dropped once the segment is closed. */
export interface FaceSegmentEvidence {
  frames: number;
  vector: Float32Array | null;
  summary: SegmentSummary['face'];
}

/**
 * Collects analysed frames in time order and reduces each segment as soon as a later frame arrives, so only one
 * segment's frames are held at a time.
 */
export class FaceSegmentReducer {
  private current: FaceFrame[] = [];
  private currentIndex = 0;
  readonly evidence = new Map<number, FaceSegmentEvidence>();

  constructor(private readonly spans: readonly SegmentSpan[]) {}

  add(frame: FaceFrame): void {
    const index = segmentIndexAt(this.spans, frame.time);
    if (index !== this.currentIndex) {
      this.close();
      this.currentIndex = index;
    }
    // Landmarks are kept by the caller's overlay track, not here.
    this.current.push({ ...frame, landmarks: undefined });
  }

  /** Reduces the open segment (call once more after the last frame). */
  close(): void {
    if (this.current.length === 0) return;
    this.evidence.set(this.currentIndex, {
      frames: this.current.length,
      vector: faceWindowVector(this.current),
      summary: summarizeFaceFrames(this.current),
    });
    this.current = [];
  }
}

/** Transcript of a segment: overlapping cue lines joined by a space, or null. */
export function transcriptFor(cues: readonly Cue[], span: SegmentSpan): string | null {
  const lines = cuesInRange(cues, span.start, span.end).map((c) => c.text.replace(/\s+/g, ' ').trim()).filter(Boolean);
  return lines.length ? lines.join(' ') : null;
}

export interface SegmentEvidence {
  span: SegmentSpan;
  face: FaceSegmentEvidence | null;
  /** The segment's prosody window (windows are computed per segment). */
  voiceWindow: ProsodyWindow | null;
  transcript: string | null;
}

/** The inference request of one segment (person = the file, so per-person calibration is per file). */
export function segmentRequest(e: SegmentEvidence, baseline: SpeakerBaseline | null, person: string, previousTranscript?: string): SegmentRequest {
  const voiceVector = e.voiceWindow && baseline ? voiceSegmentVector([e.voiceWindow], baselineMeans(baseline)) : null;
  const voice = e.voiceWindow && baseline && voiceVector ? voiceSummary(e.voiceWindow, baseline) : null;
  return {
    start: e.span.start,
    end: e.span.end,
    summary: { start: e.span.start, end: e.span.end, face: e.face?.summary ?? null, voice },
    face: e.face?.vector ?? null,
    voice: voiceVector,
    transcript: e.transcript,
    previousTranscript,
    person,
  };
}

function baselineMeans(baseline: SpeakerBaseline): Float64Array {
  const n = baseline.toJSON().mean.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = baseline.meanOf(i) ?? Number.NaN;
  return out;
}

/** The `n` strongest mean AU proxies of a face summary, strongest first (0-valued ones left out). */
export function topAus(face: SegmentSummary['face'], n = 3): { au: string; value: number }[] {
  if (!face) return [];
  return AU_NAMES.map((au) => ({ au, value: face.auMean[au] ?? 0 }))
    .filter((a) => a.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, n)
    .map((a) => ({ au: a.au, value: round(a.value, 3) }));
}

/** Short prosody notes relative to the speaker's own baseline. */
export function prosodyNotes(voice: SegmentSummary['voice']): string[] {
  if (!voice) return [];
  const notes: string[] = [];
  if (voice.voicedFraction < 0.05) return ['(almost) no voiced speech'];
  const sign = (v: number) => (v >= 0 ? '+' : '−') + Math.abs(v).toFixed(1);
  if (voice.f0RelSemitones !== undefined) notes.push(`pitch ${sign(voice.f0RelSemitones)} st`);
  if (voice.loudnessRelDb !== undefined) notes.push(`level ${sign(voice.loudnessRelDb)} dB`);
  if (voice.f0SdSemitones !== undefined) notes.push(`pitch var ${voice.f0SdSemitones.toFixed(1)} st`);
  notes.push(`voiced ${Math.round(voice.voicedFraction * 100)}%`);
  return notes;
}

function round(v: number, digits: number): number {
  const s = 10 ** digits;
  return Math.round(v * s) / s;
}

/** One result row from the engine's reading and the evidence it was given. */
export function toAnalysisSegment(e: SegmentEvidence, request: SegmentRequest, r: SegmentResult): AnalysisSegment {
  const probs = Object.fromEntries(LABELS.map((l) => [l, round(r.probs[l] ?? 0, 4)])) as Record<Label, number>;
  const voice = request.summary.voice;
  return {
    index: e.span.index,
    start: round(e.span.start, 3),
    end: round(e.span.end, 3),
    label: (LABELS as readonly string[]).includes(r.label) ? (r.label as Label) : 'no signal',
    confidence: round(r.confidence, 4),
    probs,
    valence: round(r.valence, 4),
    arousal: round(r.arousal, 4),
    contributions: { face: round(r.contributions.face, 4), voice: round(r.contributions.voice, 4), text: round(r.contributions.text, 4) },
    predictor: r.predictor,
    face: e.face ? { frames: e.face.frames, presence: round(e.face.summary?.presence ?? 0, 3), topAus: topAus(e.face.summary) } : null,
    voice: voice
      ? {
          voicedFraction: round(voice.voicedFraction, 3),
          f0RelSemitones: voice.f0RelSemitones === undefined ? undefined : round(voice.f0RelSemitones, 2),
          loudnessRelDb: voice.loudnessRelDb === undefined ? undefined : round(voice.loudnessRelDb, 2),
          notes: prosodyNotes(voice),
        }
      : null,
    transcript: e.transcript,
    rationale: r.rationale,
    prior: r.prior ? { label: r.prior.label, source: r.prior.source, model: r.prior.model, rationale: r.prior.rationale } : null,
  };
}
