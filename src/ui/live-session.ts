/**
 * One live session, shared by the live demo (live-view.ts) and the widget: face-worker frames and AudioWorklet
 * prosody windows become one SegmentRequest per second over the last 2 s, read by the inference worker's segment
 * engine (text model, prior, running per-person calibration, fusion model or reasoner).
 */
import type { WorkerBridge } from '../bridge/worker-bridge';
import { startLiveFace, type FaceThreadMode, type LiveFace, type LiveFaceStats } from '../face/live-face';
import type { FaceApi } from '../face/worker-api';
import type { SegmentRequest, SegmentResult } from '../fusion/engine';
import { faceWindowVector, voiceSegmentVector } from '../fusion/features';
import type { InferenceApi } from '../fusion/worker-api';
import { createPriorClient, type PriorClient, type PriorMode } from '../priors/client';
import { summarizeFaceFrames } from '../priors/summary';
import { LABELS, MODALITIES, type Modality } from '../shared/labels';
import type { FaceFrame, Prior, ProsodyWindow, SegmentSummary } from '../shared/types';
import { SpeakerBaseline, voiceSummary } from '../voice/calibration';
import { startMicProsody } from '../voice/live';

/** Seconds of face frames and audio summarised per reading. */
export const WINDOW_SEC = 2;
/** One reading per second. */
export const HOP_MS = 1000;
/** A window with less voicing than this counts as silence. */
const VOICED_MIN = 0.05;

export interface LiveSessionOptions {
  video: HTMLVideoElement;
  stream: MediaStream;
  inference: WorkerBridge<InferenceApi>;
  /** Which branches to read. Default: all three. */
  modalities?: ReadonlySet<Modality>;
  /** Read at every tick, so a settings control can change it live. */
  priors: () => PriorMode;
  /** The proxy's /api/prior URL (priors 'proxy'). */
  proxyUrl?: string;
  /** A face worker to reuse; one is created otherwise. */
  face?: WorkerBridge<FaceApi>;
  faceMode?: FaceThreadMode;
  /** Typed/pasted transcript, read at every tick. */
  transcript: () => string;
  /** Calibration key of the person in front of the camera. */
  person: string;
  onFrame?: (frame: FaceFrame) => void;
  onWindow?: (window: ProsodyWindow) => void;
  onReading: (result: SegmentResult, info: { prior: Prior | null; workerMs: number }) => void;
  onError: (error: Error, where: 'face' | 'voice' | 'predict') => void;
}

export interface LiveSessionHandle {
  /** Whether the microphone analysis is running. */
  readonly voice: boolean;
  faceStats(): LiveFaceStats | null;
  /** Mean AudioWorklet analysis time per window, ms (null before the first window). */
  prosodyMsPerWindow(): number | null;
  stop(): void;
}

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

export async function startLiveSession(o: LiveSessionOptions): Promise<LiveSessionHandle> {
  const modalities = o.modalities ?? new Set<Modality>(MODALITIES);
  const frames: FaceFrame[] = [];
  let lastWindow: ProsodyWindow | null = null;
  const baseline = new SpeakerBaseline();
  const prosodyMs = { count: 0, total: 0 };

  const face: LiveFace | null = modalities.has('face')
    ? await startLiveFace(o.video, {
        mode: o.faceMode,
        bridge: o.face,
        onFrame: (f) => {
          frames.push(f);
          while (frames.length && frames[0].time < f.time - WINDOW_SEC) frames.shift();
          o.onFrame?.(f);
        },
        onError: (e) => o.onError(e, 'face'),
      })
    : null;

  let mic: { stop(): void } | null = null;
  if (modalities.has('voice') && o.stream.getAudioTracks().length) {
    try {
      const onAnalysisTime = (ms: number) => {
        prosodyMs.count++;
        prosodyMs.total += ms;
      };
      mic = await startMicProsody(o.stream, { windowSec: WINDOW_SEC, hopSec: HOP_MS / 1000, onAnalysisTime }, (w) => {
        lastWindow = w;
        if (w.voicedFraction > VOICED_MIN) baseline.update(w);
        o.onWindow?.(w);
      });
    } catch (err) {
      o.onError(new Error(`Microphone analysis could not start: ${asError(err).message}`), 'voice');
    }
  }

  let priorClient: PriorClient | null = null;
  let priorMode: PriorMode | null = null;
  const priorFor = async (summary: SegmentSummary): Promise<Prior | null> => {
    const mode = o.priors();
    if (mode !== priorMode) {
      priorClient?.dispose();
      priorClient = createPriorClient({ mode, url: o.proxyUrl || undefined });
      priorMode = mode;
    }
    return priorClient!.prior(summary);
  };

  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = frames.at(-1)?.time ?? performance.now() / 1000;
      const recent = frames.filter((f) => f.time >= now - WINDOW_SEC);
      const w = lastWindow as ProsodyWindow | null;
      const voiced = w && w.voicedFraction > VOICED_MIN ? w : null;
      const transcript = modalities.has('text') ? o.transcript().trim() : '';
      const summary: SegmentSummary = {
        start: now - WINDOW_SEC,
        end: now,
        face: recent.some((f) => f.present) ? summarizeFaceFrames(recent) : null,
        voice: voiced ? voiceSummary(voiced, baseline) : null,
        text: null,
      };
      // The prior sees the text model's scores too, as the seed's MLLM sees the subtitle.
      if (transcript) {
        const [reading] = await o.inference.call((api) => api.readTexts([transcript]));
        summary.text = { transcript, scores: reading ? Object.fromEntries(LABELS.map((l, i) => [l, reading.scores[i]])) : undefined };
      }
      const prior = await priorFor(summary);
      const request: SegmentRequest = {
        start: summary.start,
        end: summary.end,
        summary,
        face: faceWindowVector(recent),
        voice: voiced ? voiceSegmentVector([voiced]) : null,
        transcript: transcript || null,
        prior,
        person: o.person,
      };
      const { results, ms } = await o.inference.call((api) =>
        api.predictSegments([request], { calibration: 'running', priors: priorMode !== 'off' }),
      );
      if (!stopped && results[0]) o.onReading(results[0], { prior, workerMs: ms });
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) o.onError(asError(err), 'predict');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), HOP_MS);

  return {
    voice: mic !== null,
    faceStats: () => face?.stats() ?? null,
    prosodyMsPerWindow: () => (prosodyMs.count ? prosodyMs.total / prosodyMs.count : null),
    stop() {
      stopped = true;
      clearInterval(timer);
      face?.stop();
      mic?.stop();
      priorClient?.dispose();
    },
  };
}
