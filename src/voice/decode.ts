/**
 * Decoding an audio or video file in the browser to a mono signal for the prosody extractor (Web Audio
 * decodeAudioData; the Node eval decodes with ffmpeg instead).
 */
import { ANALYSIS_RATE, toMono } from './dsp';

export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
  duration: number;
}

/**
 * Decodes and mixes to mono at the extractor's analysis rate (16 kHz): decodeAudioData always resamples to its
 * context's rate, so asking for ANALYSIS_RATE lets the browser's resampler do the work once.
 */
export async function decodeAudioFile(file: Blob): Promise<DecodedAudio> {
  if (file.size === 0) throw new Error('decodeAudioFile: the file is empty');
  const bytes = await file.arrayBuffer();
  // A 1-frame OfflineAudioContext just provides decodeAudioData.
  const Ctx = globalThis.OfflineAudioContext ?? (globalThis as unknown as { webkitOfflineAudioContext?: typeof OfflineAudioContext }).webkitOfflineAudioContext;
  if (!Ctx) throw new Error('decodeAudioFile: this browser has no Web Audio (OfflineAudioContext) support');
  const ctx = new Ctx(1, 1, ANALYSIS_RATE);
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
