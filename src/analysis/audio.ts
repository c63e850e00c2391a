/**
 * Audio of a media file for analysis: decoded once by the browser (decodeAudioData) straight to the 16 kHz
 * analysis rate, so the decoded PCM is ~3× smaller than at 48 kHz and the extractor needs no resampling; then cut
 * into segment-aligned mono chunks that are handed to the prosody worker one at a time. The AudioBuffer is the only
 * whole-file copy and is released as soon as the last chunk is cut.
 */
import { ANALYSIS_RATE } from '../voice/dsp';
import type { SegmentSpan } from './segments';

export interface DecodedTrack {
  buffer: AudioBuffer;
  duration: number;
}

/** Raised when a file has no audio the browser can decode (no track, or a codec it does not support). */
export class NoAudioError extends Error {
  override name = 'NoAudioError';
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * decodeAudioData needs the whole file in memory; above this size the audio is skipped (with a warning) rather than
 * risking the tab (1 h of 720p H.264 is ≈ 1–2 GB).
 */
export const MAX_AUDIO_DECODE_BYTES = 1.5e9;

/** Decodes the file's audio at 16 kHz; rejects with NoAudioError when there is none. Abort stops waiting. */
export async function decodeAudioTrack(file: Blob, signal?: AbortSignal, timeoutMs = 180_000): Promise<DecodedTrack> {
  if (file.size === 0) throw new NoAudioError('the file is empty');
  if (file.size > MAX_AUDIO_DECODE_BYTES) {
    throw new NoAudioError(`the file is ${(file.size / 1e9).toFixed(1)} GB; audio is only decoded for files up to ${MAX_AUDIO_DECODE_BYTES / 1e9} GB (the browser decodes audio in one piece)`);
  }
  const Ctx = globalThis.OfflineAudioContext;
  if (!Ctx) throw new NoAudioError('this browser has no Web Audio (OfflineAudioContext)');
  const bytes = await file.arrayBuffer();
  // decodeAudioData resamples to the context's rate (Web Audio API §1.1.9), so decoding at 16 kHz is the resampling.
  const ctx = new Ctx(1, 1, ANALYSIS_RATE);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  try {
    const buffer = await Promise.race([
      ctx.decodeAudioData(bytes),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NoAudioError(`decoding the audio took longer than ${timeoutMs / 1000} s`)), timeoutMs);
        onAbort = () => reject(abortError());
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
    if (buffer.length === 0 || buffer.numberOfChannels === 0) throw new NoAudioError('the audio track has no samples');
    return { buffer, duration: buffer.duration };
  } catch (err) {
    if (err instanceof NoAudioError || (err instanceof DOMException && err.name === 'AbortError')) throw err;
    throw new NoAudioError(`no audio track the browser can decode${err instanceof Error && err.message ? ` (${err.message})` : ''}`);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

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
