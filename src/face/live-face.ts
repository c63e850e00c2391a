/**
 * Live face tracking from a <video>, keeping the main thread free.
 * - 'worker' mode (default): each frame becomes an ImageBitmap transferred to the face worker.
 * - 'main' mode: the landmarker runs on the main thread (for measurement; see README "Performance").
 * Both drop frames while the previous one is still being analysed (human's busy-flag pattern) instead of queueing.
 */
import * as Comlink from 'comlink';
import { WorkerBridge } from '../bridge/worker-bridge';
import type { FaceFrame } from '../shared/types';
import { createFaceTracker, type FaceTracker, type FaceTrackerOptions } from './landmarker';
import type { FaceApi } from './worker-api';

export type FaceThreadMode = 'worker' | 'main';

/** Width of the frames sent to the face worker. */
const FRAME_WIDTH = 320;

export interface LiveFaceStats {
  processed: number;
  dropped: number;
  /** Mean landmarker time per frame (inside the worker or on the main thread), ms. */
  meanDetectMs: number;
  /** Mean time from frame grab to result on the main thread, ms. */
  meanRoundTripMs: number;
}

export interface LiveFace {
  stop(): void;
  stats(): LiveFaceStats;
}

/**
 * A face worker in VIDEO mode. `options` override the tracker's defaults, e.g. the widget's `modelUrl` (its
 * models-base) and `keepLandmarks: false` (no overlay to draw).
 */
export function createFaceBridge(options: Pick<FaceTrackerOptions, 'modelUrl' | 'keepLandmarks'> = {}): WorkerBridge<FaceApi> {
  return new WorkerBridge<FaceApi>({
    create: () => new Worker(new URL('../../workers/face.worker.ts', import.meta.url), { type: 'module', name: 'face' }),
    onStart: async (remote) => {
      await remote.init({ runningMode: 'VIDEO', ...options });
    },
  });
}

type VideoWithRvfc = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: () => void) => number;
  cancelVideoFrameCallback?: (id: number) => void;
};

/** Starts analysing `video`; `onFrame` gets every analysed frame (present or not). */
export async function startLiveFace(
  video: HTMLVideoElement,
  options: { mode?: FaceThreadMode; bridge?: WorkerBridge<FaceApi>; onFrame: (frame: FaceFrame) => void; onError?: (e: Error) => void },
): Promise<LiveFace> {
  const mode = options.mode ?? 'worker';
  const bridge = mode === 'worker' ? options.bridge ?? createFaceBridge() : null;
  let tracker: FaceTracker | null = null;
  if (bridge) await bridge.call(async () => undefined); // starts and initialises the worker
  else tracker = await createFaceTracker({ runningMode: 'VIDEO' });

  const v = video as VideoWithRvfc;
  let stopped = false;
  let busy = false;
  let handle = 0;
  const stats = { processed: 0, dropped: 0, detectMs: 0, roundTripMs: 0 };

  const analyse = async () => {
    const t0 = performance.now();
    let frame: FaceFrame;
    if (bridge) {
      // MediaPipe's detector and mesh run at 128 and 256 px, so a 320 px-wide frame loses nothing it uses and
      // halves the pixel conversion in the worker (landmarks are normalised, so the overlay is unchanged).
      const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
      const bitmap = await createImageBitmap(video, {
        resizeWidth: Math.round(video.videoWidth * scale),
        resizeHeight: Math.round(video.videoHeight * scale),
        resizeQuality: 'medium',
      });
      frame = await bridge.call((w) => w.detect(Comlink.transfer(bitmap, [bitmap]), t0));
    } else {
      frame = tracker!.detect(video, t0);
    }
    stats.processed++;
    stats.detectMs += frame.ms ?? 0;
    stats.roundTripMs += performance.now() - t0;
    options.onFrame(frame);
  };

  const schedule = () => {
    if (stopped) return;
    handle = v.requestVideoFrameCallback ? v.requestVideoFrameCallback(tick) : requestAnimationFrame(tick);
  };
  const tick = () => {
    schedule();
    if (video.readyState < 2 || video.videoWidth === 0) return;
    if (busy) {
      stats.dropped++;
      return;
    }
    busy = true;
    analyse()
      .catch((e: unknown) => options.onError?.(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        busy = false;
      });
  };
  schedule();

  return {
    stop() {
      stopped = true;
      if (v.cancelVideoFrameCallback) v.cancelVideoFrameCallback(handle);
      else cancelAnimationFrame(handle);
      if (!options.bridge) bridge?.terminate();
      tracker?.close();
    },
    stats() {
      const n = Math.max(1, stats.processed);
      return {
        processed: stats.processed,
        dropped: stats.dropped,
        meanDetectMs: stats.detectMs / n,
        meanRoundTripMs: stats.roundTripMs / n,
      };
    },
  };
}
