/**
 * Decoding an audio or video file in the browser to a mono signal for the prosody extractor (Web Audio
 * decodeAudioData; the Node eval decodes with ffmpeg instead).
 */
import { toMono } from './dsp';

export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  duration: number;
}

/** Decodes at the file's own rate (extract.ts resamples), mixing channels to mono. */
export async function decodeAudioFile(file: Blob): Promise<DecodedAudio> {
  if (file.size === 0) throw new Error('decodeAudioFile: the file is empty');
  const bytes = await file.arrayBuffer();
  // A 1-sample OfflineAudioContext only provides decodeAudioData; decoded data keeps the file's sample rate.
  const Ctx = globalThis.OfflineAudioContext ?? (globalThis as unknown as { webkitOfflineAudioContext?: typeof OfflineAudioContext }).webkitOfflineAudioContext;
  if (!Ctx) throw new Error('decodeAudioFile: this browser has no Web Audio (OfflineAudioContext) support');
  const ctx = new Ctx(1, 1, 44100);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes);
  } catch (err) {
    const name = file instanceof File ? `"${file.name}" ` : '';
    throw new Error(
      `decodeAudioFile: could not decode ${name}(${file.type || 'unknown type'}): the file is corrupt or has no audio track the browser can decode${err instanceof Error && err.message ? ` (${err.message})` : ''}`,
      { cause: err },
    );
  }
  if (buffer.length === 0 || buffer.numberOfChannels === 0) throw new Error('decodeAudioFile: the file has no audio samples');
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  return { samples: toMono(channels), sampleRate: buffer.sampleRate, duration: buffer.duration };
}
