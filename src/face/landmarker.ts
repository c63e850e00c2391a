/**
 * MediaPipe FaceLandmarker (tasks-vision 1.1.0) behind the project's Extractor shape: init → detect → close.
 * Wasm and model are served by the app itself: the wasm through Vite `?url` imports, the model from
 * `public/models/face_landmarker.task` (sha256 checked by scripts/copy-assets.mjs and a unit test).
 */
import { FaceLandmarker, type FaceLandmarkerResult } from '@mediapipe/tasks-vision';
import classicLoaderUrl from '@mediapipe/tasks-vision/vision_wasm_internal.js?url';
import classicWasmUrl from '@mediapipe/tasks-vision/vision_wasm_internal.wasm?url';
import moduleLoaderUrl from '@mediapipe/tasks-vision/vision_wasm_module_internal.js?url';
import moduleWasmUrl from '@mediapipe/tasks-vision/vision_wasm_module_internal.wasm?url';
import type { FaceFrame, HeadPose } from '../shared/types';
import { auProxies, BLENDSHAPE_NAMES } from './au';
import { headPoseFromMatrix } from './pose';

export interface FaceTrackerOptions {
  /** 'VIDEO' for streams (monotonic timestamps), 'IMAGE' for stills. Default 'VIDEO'. */
  runningMode?: 'VIDEO' | 'IMAGE';
  /** MediaPipe delegate. Default 'CPU' (measured ≈18 ms/frame here; GPU needs WebGL2 in the calling context). */
  delegate?: 'CPU' | 'GPU';
  /** URL of face_landmarker.task. Default `${import.meta.env.BASE_URL}models/face_landmarker.task`. */
  modelUrl?: string;
  /** Keep the 478 landmarks in each FaceFrame (for overlays). Default true. */
  keepLandmarks?: boolean;
}

/** Resolves the right wasm loader: module workers cannot importScripts, so they need the ES-module build. */
function wasmFileset() {
  const inModuleWorker = typeof document === 'undefined';
  return inModuleWorker
    ? { wasmLoaderPath: moduleLoaderUrl, wasmBinaryPath: moduleWasmUrl }
    : { wasmLoaderPath: classicLoaderUrl, wasmBinaryPath: classicWasmUrl };
}

const NO_POSE: HeadPose = { yaw: 0, pitch: 0, roll: 0 };

export interface FaceTracker {
  /** Analyses one image or video frame. `timeMs` must increase in VIDEO mode. */
  detect(source: TexImageSource | ImageBitmap | ImageData, timeMs: number): FaceFrame;
  close(): void;
}

/** Turns a landmarker result into our FaceFrame (first face only). */
export function toFaceFrame(result: FaceLandmarkerResult, timeSec: number, keepLandmarks: boolean, ms?: number): FaceFrame {
  const shapes = result.faceBlendshapes?.[0]?.categories;
  if (!shapes || shapes.length !== BLENDSHAPE_NAMES.length) {
    return { time: timeSec, present: false, blendshapes: new Float32Array(0), aus: new Float32Array(0), pose: NO_POSE, ms };
  }
  // Categories come back in model order; index by name so the vector is always BLENDSHAPE_NAMES order.
  const blendshapes = new Float32Array(BLENDSHAPE_NAMES.length);
  const byName = new Map(shapes.map((c) => [c.categoryName, c.score]));
  BLENDSHAPE_NAMES.forEach((n, i) => (blendshapes[i] = byName.get(n) ?? 0));
  const matrix = result.facialTransformationMatrixes?.[0]?.data;
  const pose = matrix ? headPoseFromMatrix(matrix) : NO_POSE;
  let landmarks: Float32Array | undefined;
  const points = result.faceLandmarks?.[0];
  if (keepLandmarks && points) {
    landmarks = new Float32Array(points.length * 3);
    points.forEach((p, i) => {
      landmarks![i * 3] = p.x;
      landmarks![i * 3 + 1] = p.y;
      landmarks![i * 3 + 2] = p.z;
    });
  }
  return { time: timeSec, present: true, blendshapes, aus: auProxies(blendshapes), pose, landmarks, ms };
}

/**
 * Creates a face tracker. One per thread: MediaPipe graphs are not shareable.
 * @example const tracker = await createFaceTracker({ runningMode: 'VIDEO' }); tracker.detect(video, performance.now());
 */
export async function createFaceTracker(options: FaceTrackerOptions = {}): Promise<FaceTracker> {
  const runningMode = options.runningMode ?? 'VIDEO';
  const keepLandmarks = options.keepLandmarks ?? true;
  const modelAssetPath = options.modelUrl ?? `${import.meta.env.BASE_URL}models/face_landmarker.task`;
  const landmarker = await FaceLandmarker.createFromOptions(wasmFileset(), {
    baseOptions: { modelAssetPath, delegate: options.delegate ?? 'CPU' },
    runningMode,
    numFaces: 1,
    outputFaceBlendshapes: true,
    outputFacialTransformationMatrixes: true,
  });
  let lastTs = -1;
  return {
    detect(source, timeMs) {
      const t0 = performance.now();
      let result: FaceLandmarkerResult;
      if (runningMode === 'VIDEO') {
        const ts = Math.max(timeMs, lastTs + 1); // MediaPipe rejects non-increasing timestamps
        lastTs = ts;
        result = landmarker.detectForVideo(source as ImageBitmap, ts);
      } else {
        result = landmarker.detect(source as ImageBitmap);
      }
      return toFaceFrame(result, timeMs / 1000, keepLandmarks, performance.now() - t0);
    },
    close() {
      landmarker.close();
    },
  };
}
