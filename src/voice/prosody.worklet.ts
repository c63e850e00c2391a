/**
 * AudioWorkletProcessor for live prosody: buffers the microphone (mono mix), and every `hopSec` analyses the last
 * `windowSec` with the same extract.ts code used for files, spread over render quanta (a small time budget per
 * `process` call) so the audio thread is never blocked for long. Posts `{type: 'window', window}` (times in
 * AudioContext seconds) and `{type: 'level', rms}` about 20 times a second. While a window is still being analysed
 * the next one is skipped rather than queued.
 *
 * Loaded from the page with `import url from './prosody.worklet.ts?worker&url'` (see live.ts).
 */
import { prosodyWindowStepwise, type ExtractOptions } from './extract';
import type { ProsodyWindow } from '../shared/types';

// AudioWorkletGlobalScope is not in TypeScript's DOM lib.
declare const sampleRate: number;
declare const currentTime: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}

export const PROSODY_PROCESSOR_NAME = 'prosody-processor';

export interface ProsodyProcessorOptions extends ExtractOptions {
  windowSec: number;
  hopSec: number;
}

export type ProsodyWorkletMessage =
  | { type: 'window'; window: ProsodyWindow; analysisMs: number }
  | { type: 'level'; rms: number; time: number }
  | { type: 'error'; message: string };

/** Milliseconds of analysis per render quantum (a 128-frame quantum lasts 2.7 ms at 48 kHz). */
const BUDGET_MS = 1;
const LEVEL_INTERVAL_SEC = 0.05;

class ProsodyProcessor extends AudioWorkletProcessor {
  private readonly opts: ProsodyProcessorOptions;
  private readonly ring: Float32Array;
  private written = 0;
  private nextWindowAt: number;
  private job: { gen: Generator<void, ProsodyWindow, void>; start: number; end: number; t0: number } | null = null;
  private stopped = false;
  private levelSum = 0;
  private levelCount = 0;

  constructor(options: { processorOptions?: Partial<ProsodyProcessorOptions> }) {
    super();
    const p = options.processorOptions ?? {};
    this.opts = { ...p, windowSec: p.windowSec ?? 2, hopSec: p.hopSec ?? 1 };
    this.ring = new Float32Array(Math.ceil(this.opts.windowSec * sampleRate));
    this.nextWindowAt = Math.round(this.opts.hopSec * sampleRate);
    this.port.onmessage = (e: MessageEvent) => {
      if (e.data?.type === 'stop') this.stopped = true;
    };
  }

  private append(input: Float32Array[]) {
    const n = input[0].length;
    const g = 1 / input.length;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (const ch of input) v += ch[i];
      v *= g;
      if (!Number.isFinite(v)) v = 0;
      this.ring[(this.written + i) % this.ring.length] = v;
      this.levelSum += v * v;
    }
    this.written += n;
    this.levelCount += n;
    if (this.levelCount >= LEVEL_INTERVAL_SEC * sampleRate) {
      this.port.postMessage({ type: 'level', rms: Math.sqrt(this.levelSum / this.levelCount), time: currentTime });
      this.levelSum = 0;
      this.levelCount = 0;
    }
  }

  private startJob(blockEnd: number) {
    const len = Math.min(this.written, this.ring.length);
    const samples = new Float32Array(len);
    const from = this.written - len;
    for (let i = 0; i < len; i++) samples[i] = this.ring[(from + i) % this.ring.length];
    const dur = len / sampleRate;
    this.job = { gen: prosodyWindowStepwise(samples, sampleRate, 0, dur, this.opts), start: blockEnd - dur, end: blockEnd, t0: Date.now() };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const input = inputs[0];
    const frames = input && input.length > 0 ? input[0].length : 128;
    if (input && input.length > 0) this.append(input);
    else {
      // No connected input (track ended or muted): count silence so windows keep coming.
      this.append([new Float32Array(frames)]);
    }
    const blockEnd = currentTime + frames / sampleRate;
    if (!this.job && this.written >= this.nextWindowAt) {
      this.startJob(blockEnd);
      this.nextWindowAt = this.written + Math.round(this.opts.hopSec * sampleRate);
    } else if (this.job && this.written >= this.nextWindowAt) {
      this.nextWindowAt = this.written + Math.round(this.opts.hopSec * sampleRate); // busy: drop this window
    }
    if (this.job) {
      try {
        const t0 = Date.now();
        let r = this.job.gen.next();
        while (!r.done && Date.now() - t0 < BUDGET_MS) r = this.job.gen.next();
        if (r.done) {
          const w = r.value;
          w.start = this.job.start;
          w.end = this.job.end;
          const msg: ProsodyWorkletMessage = { type: 'window', window: w, analysisMs: Date.now() - this.job.t0 };
          this.port.postMessage(msg, [w.f0Hz.buffer, w.loudness.buffer, w.features.buffer, w.present.buffer]);
          this.job = null;
        }
      } catch (err) {
        this.job = null;
        this.port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
    }
    return true;
  }
}

registerProcessor(PROSODY_PROCESSOR_NAME, ProsodyProcessor);
