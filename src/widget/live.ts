/**
 * The widget's camera pipeline — the live demo's (src/ui/live-view.ts) without its page: face worker frames and
 * AudioWorklet prosody windows become one SegmentRequest per second over the last 2 s, read by the inference
 * worker's segment engine (running per-person calibration, priors, fusion model or reasoner).
 */
import type { WorkerBridge } from '../bridge/worker-bridge';
import { startLiveFace } from '../face/live-face';
import type { FaceApi } from '../face/worker-api';
import type { SegmentResult } from '../fusion/engine';
import { faceWindowVector, voiceSegmentVector } from '../fusion/features';
import type { InferenceApi } from '../fusion/worker-api';
import { createPriorClient, type PriorMode } from '../priors/client';
import { summarizeFaceFrames } from '../priors/summary';
import type { Modality } from '../shared/labels';
import type { FaceFrame, ProsodyWindow, SegmentSummary } from '../shared/types';
import { SpeakerBaseline, voiceSummary } from '../voice/calibration';
import { startMicProsody } from '../voice/live';

export const WINDOW_SEC = 2;
export const HOP_MS = 1000;

export interface WidgetLiveOptions {
  video: HTMLVideoElement;
  stream: MediaStream;
  modalities: ReadonlySet<Modality>;
  priors: PriorMode;
  proxyUrl?: string;
  inference: WorkerBridge<InferenceApi>;
  face: WorkerBridge<FaceApi>;
  transcript: () => string;
  onResult: (r: SegmentResult) => void;
  onError: (e: Error) => void;
}

export async function startWidgetLive(o: WidgetLiveOptions): Promise<{ stop(): void }> {
  const frames: FaceFrame[] = [];
  let lastWindow: ProsodyWindow | null = null;
  const baseline = new SpeakerBaseline();
  const face = o.modalities.has('face')
    ? await startLiveFace(o.video, {
        bridge: o.face,
        onFrame: (f) => {
          frames.push(f);
          while (frames.length && frames[0].time < f.time - WINDOW_SEC) frames.shift();
        },
        onError: o.onError,
      })
    : null;
  const mic =
    o.modalities.has('voice') && o.stream.getAudioTracks().length
      ? await startMicProsody(o.stream, { windowSec: WINDOW_SEC, hopSec: HOP_MS / 1000 }, (w) => {
          lastWindow = w;
          if (w.voicedFraction > 0.05) baseline.update(w);
        }).catch((err: unknown) => {
          o.onError(new Error(`Microphone analysis could not start: ${err instanceof Error ? err.message : String(err)}`));
          return null;
        })
      : null;
  const priors = o.priors === 'proxy' ? createPriorClient({ mode: 'proxy', url: o.proxyUrl || undefined }) : null;
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = frames.at(-1)?.time ?? performance.now() / 1000;
      const recent = frames.filter((f) => f.time >= now - WINDOW_SEC);
      const w = lastWindow as ProsodyWindow | null;
      const voiced = w && w.voicedFraction > 0.05 ? w : null;
      const transcript = o.modalities.has('text') ? o.transcript().trim() : '';
      const summary: SegmentSummary = {
        start: now - WINDOW_SEC,
        end: now,
        face: recent.some((f) => f.present) ? summarizeFaceFrames(recent) : null,
        voice: voiced ? voiceSummary(voiced, baseline) : null,
        text: transcript ? { transcript } : null,
      };
      const prior = priors ? await priors.prior(summary) : undefined;
      const request = {
        start: summary.start,
        end: summary.end,
        summary,
        face: faceWindowVector(recent),
        voice: voiced ? voiceSegmentVector([voiced]) : null,
        transcript: transcript || null,
        prior,
        person: 'widget',
      };
      const { results } = await o.inference.call((api) => api.predictSegments([request], { calibration: 'running', priors: o.priors !== 'off' }));
      if (!stopped && results[0]) o.onResult(results[0]);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) o.onError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), HOP_MS);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      face?.stop();
      mic?.stop();
      priors?.dispose();
    },
  };
}
