/**
 * Audio of a media file for analysis: decoded once by the browser straight to the 16 kHz analysis rate
 * (src/voice/decode.ts), then cut into segment-aligned mono chunks that are handed to the prosody worker one at a
 * time. The AudioBuffer is the only whole-file copy and is released as soon as the last chunk is cut.
 */
import type { SegmentSpan } from './segments';

export interface AudioChunk {
  samples: Float32Array;
  sampleRate: number;
  startTime: number;
  spans: SegmentSpan[];
}

/**
 * Segment-aligned mono chunks of about `chunkSec` seconds (a whole number of segments each), mixed down from the
 * buffer's channels. Generated lazily so only one chunk copy exists at a time.
 */
export function* audioChunks(buffer: AudioBuffer, spans: readonly SegmentSpan[], chunkSec = 30): Generator<AudioChunk> {
  const rate = buffer.sampleRate;
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  let i = 0;
  while (i < spans.length) {
    const first = spans[i];
    if (first.start >= buffer.duration) break;
    const group: SegmentSpan[] = [];
    while (i < spans.length && spans[i].start < buffer.duration && (group.length === 0 || spans[i].end - first.start <= chunkSec)) group.push(spans[i++]);
    const s0 = Math.floor(first.start * rate);
    const s1 = Math.min(buffer.length, Math.ceil(group[group.length - 1].end * rate));
    const samples = new Float32Array(Math.max(0, s1 - s0));
    for (const ch of channels) for (let k = 0; k < samples.length; k++) samples[k] += ch[s0 + k];
    const g = 1 / channels.length;
    for (let k = 0; k < samples.length; k++) {
      const v = samples[k] * g;
      samples[k] = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    }
    yield { samples, sampleRate: rate, startTime: first.start, spans: group };
  }
}
