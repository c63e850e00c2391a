/**
 * The file-analysis prosody worker: turns chunks of 16 kHz mono PCM into one ProsodyWindow per segment with the
 * same extractor as live mode (src/voice/extract.ts), off the main thread. Chunks arrive transferred, so the
 * samples live in exactly one thread at a time and are dropped after windowing.
 */
import type { ProsodyWindow } from '../shared/types';
import { analyzeProsodyFrames, ANALYSIS_RATE, windowFromFrames } from '../voice/extract';

export interface ProsodyChunk {
  /** Mono samples at `sampleRate`, starting at media time `startTime`. */
  samples: Float32Array;
  sampleRate: number;
  startTime: number;
  /** Segment spans (media seconds) to window; each must lie inside the chunk. */
  spans: { start: number; end: number }[];
}

export const prosodyApi = {
  /** One window per span. Frames are analysed once for the whole chunk. */
  windows(chunk: ProsodyChunk): ProsodyWindow[] {
    if (chunk.samples.length === 0) return [];
    const frames = analyzeProsodyFrames(chunk.samples, chunk.sampleRate);
    return chunk.spans.map((s) => windowFromFrames(frames, s.start - chunk.startTime, s.end - chunk.startTime, chunk.startTime));
  },
  analysisRate(): number {
    return ANALYSIS_RATE;
  },
};

export type ProsodyApi = typeof prosodyApi;
