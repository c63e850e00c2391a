/**
 * What the face worker exposes: one FaceLandmarker per worker (MediaPipe graphs are per-thread), fed with
 * transferred ImageBitmaps so the main thread never runs the graph.
 */
import type { FaceFrame } from '../shared/types';
import { createFaceTracker, type FaceTracker, type FaceTrackerOptions } from './landmarker';

let tracker: FaceTracker | null = null;
let loading: Promise<void> | null = null;

export const faceApi = {
  async init(options: FaceTrackerOptions = {}): Promise<{ initMs: number }> {
    const t0 = performance.now();
    if (!tracker) {
      loading ??= createFaceTracker(options).then((t) => {
        tracker = t;
      });
      await loading;
    }
    return { initMs: performance.now() - t0 };
  },
  /** Detects on a transferred bitmap and closes it. */
  detect(frame: ImageBitmap, timeMs: number): FaceFrame {
    if (!tracker) {
      frame.close();
      throw new Error('Face worker used before init()');
    }
    try {
      return tracker.detect(frame, timeMs);
    } finally {
      frame.close();
    }
  },
  close(): void {
    tracker?.close();
    tracker = null;
    loading = null;
  },
};

export type FaceApi = typeof faceApi;
