/**
 * Live microphone prosody on the browser main thread: wires a MediaStream into the prosody AudioWorklet
 * (prosody.worklet.ts, same extract.ts code as file analysis) and hands back ProsodyWindows whose times are in
 * performance.now()/1000 seconds, the clock of live FaceFrames.
 *
 * @example
 * const mic = await startMicProsody(stream, { windowSec: 2, hopSec: 1 }, (w) => console.log(w.voicedFraction));
 * // later
 * mic.stop();
 */
import workletUrl from './prosody.worklet.ts?worker&url';
import type { ProsodyWindow } from '../shared/types';
import type { ExtractOptions } from './extract';

const PROCESSOR_NAME = 'prosody-processor';

export interface MicProsodyOptions extends ExtractOptions {
  /** Window length, seconds (default 2). */
  windowSec?: number;
  /** Seconds between windows (default 1). */
  hopSec?: number;
  /** Microphone RMS (full scale 1) about 20 times a second, for a level meter. */
  onLevel?: (rms: number) => void;
  /** Wall-clock milliseconds the worklet took to analyse each window (spread over render quanta). */
  onAnalysisTime?: (ms: number) => void;
  /** Analysis errors inside the worklet (the stream keeps running). */
  onError?: (message: string) => void;
}

export interface MicProsody {
  context: AudioContext;
  stop(): void;
}

export async function startMicProsody(
  stream: MediaStream,
  opts: MicProsodyOptions,
  onWindow: (w: ProsodyWindow) => void,
): Promise<MicProsody> {
  if (stream.getAudioTracks().length === 0) {
    throw new Error('startMicProsody: the media stream has no audio track (no microphone, or microphone access was not granted)');
  }
  const windowSec = opts.windowSec ?? 2;
  const hopSec = opts.hopSec ?? 1;
  if (!(windowSec > 0) || !(hopSec > 0)) throw new Error(`startMicProsody: windowSec and hopSec must be positive (got ${windowSec}, ${hopSec})`);
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(workletUrl);
    const source = context.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(context, PROCESSOR_NAME, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { windowSec, hopSec, pitch: opts.pitch },
    });
    // A muted path to the destination keeps the graph pulled on every browser.
    const mute = context.createGain();
    mute.gain.value = 0;
    source.connect(node).connect(mute).connect(context.destination);
    node.port.onmessage = (e: MessageEvent) => {
      const msg = e.data;
      if (msg?.type === 'window') {
        const w = msg.window as ProsodyWindow;
        const stamp = context.getOutputTimestamp();
        const offset = stamp.performanceTime !== undefined && stamp.contextTime !== undefined
          ? stamp.performanceTime / 1000 - stamp.contextTime
          : performance.now() / 1000 - context.currentTime;
        w.start += offset;
        w.end += offset;
        opts.onAnalysisTime?.(msg.analysisMs);
        onWindow(w);
      } else if (msg?.type === 'level') opts.onLevel?.(msg.rms);
      else if (msg?.type === 'error') opts.onError?.(msg.message);
    };
    if (context.state === 'suspended') await context.resume();
    let stopped = false;
    return {
      context,
      stop() {
        if (stopped) return;
        stopped = true;
        node.port.postMessage({ type: 'stop' });
        node.port.onmessage = null;
        source.disconnect();
        node.disconnect();
        void context.close();
      },
    };
  } catch (err) {
    void context.close();
    throw new Error(`startMicProsody: could not start the audio worklet: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
