/**
 * Decoding an audio or video file in the browser at the extractor's analysis rate (Web Audio decodeAudioData; the
 * Node eval decodes with ffmpeg instead). One decode for every caller: file analysis keeps the AudioBuffer and cuts it
 * into chunks, Teach and the bench take a mono signal.
 */
import { ANALYSIS_RATE, toMono } from './dsp';

/** Raised when a file has no audio the browser can decode (empty, too big, no track, or a codec it does not support). */
export class NoAudioError extends Error {
  override name = 'NoAudioError';
}

/**
 * decodeAudioData needs the whole file in memory; above this size the audio is refused rather than risking the tab
 * (1 h of 720p H.264 is ≈ 1–2 GB).
 */
export const MAX_AUDIO_DECODE_BYTES = 1.5e9;

export interface DecodeOptions {
  /** Abort stops waiting for the decoder (rejects with an AbortError DOMException). */
  signal?: AbortSignal;
  /** Gives up (NoAudioError) when decoding takes longer than this. */
  timeoutMs?: number;
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Decodes the file's audio to an AudioBuffer at 16 kHz: decodeAudioData resamples to its context's rate (Web Audio API
 * §1.1.9), so asking for ANALYSIS_RATE makes the browser's resampler do the work once and keeps the PCM ~3× smaller
 * than at 48 kHz. Rejects with NoAudioError, or an AbortError when `signal` aborts.
 */
export async function decodeAudioBuffer(file: Blob, options: DecodeOptions = {}): Promise<AudioBuffer> {
  const { signal, timeoutMs = 180_000 } = options;
  if (file.size === 0) throw new NoAudioError('the file is empty');
  if (file.size > MAX_AUDIO_DECODE_BYTES) {
    throw new NoAudioError(`the file is ${(file.size / 1e9).toFixed(1)} GB; audio is only decoded for files up to ${MAX_AUDIO_DECODE_BYTES / 1e9} GB (the browser decodes audio in one piece)`);
  }
  const Ctx = globalThis.OfflineAudioContext ?? (globalThis as unknown as { webkitOfflineAudioContext?: typeof OfflineAudioContext }).webkitOfflineAudioContext;
  if (!Ctx) throw new NoAudioError('this browser has no Web Audio (OfflineAudioContext)');
  if (signal?.aborted) throw abortError();
  const bytes = await file.arrayBuffer();
  // A 1-frame OfflineAudioContext just provides decodeAudioData.
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
    return buffer;
  } catch (err) {
    if (err instanceof NoAudioError || (err instanceof DOMException && err.name === 'AbortError')) throw err;
    const name = file instanceof File ? `"${file.name}" ` : '';
    throw new NoAudioError(
      `could not decode ${name}(${file.type || 'unknown type'}): the file is corrupt or has no audio track the browser can decode${err instanceof Error && err.message ? ` (${err.message})` : ''}`,
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  duration: number;
}

/** Decodes (as decodeAudioBuffer) and mixes down to one mono signal. */
export async function decodeAudioFile(file: Blob, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const buffer = await decodeAudioBuffer(file, options);
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  return { samples: toMono(channels), sampleRate: buffer.sampleRate, duration: buffer.duration };
}
