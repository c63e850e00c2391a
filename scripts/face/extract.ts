/**
 * Page side of scripts/extract-faces.ts: runs the app's own FaceLandmarker wrapper (src/face/landmarker.ts,
 * IMAGE mode) over image URLs handed in by Playwright and returns plain arrays.
 */
import { createFaceTracker, type FaceTracker } from '../../src/face/landmarker';
import { drawFramed, type FramingOptions } from './framing';

export type { FramingOptions };

export interface ExtractedFace {
  url: string;
  present: boolean;
  blendshapes: number[];
  aus: number[];
  pose: [number, number, number];
  width: number;
  height: number;
  ms: number;
  error?: string;
}

let tracker: FaceTracker | null = null;
const canvas = document.createElement('canvas');

/** The decoded image itself when no canvas framing is asked (the landmarker takes bitmaps directly). */
function frame(bitmap: ImageBitmap, framing: FramingOptions): ImageBitmap | HTMLCanvasElement {
  return framing.canvasSize ? drawFramed(canvas, bitmap, framing) : bitmap;
}

/** Decodes the image once and runs the landmarker under each framing. */
async function analyse(url: string, framings: FramingOptions[]): Promise<ExtractedFace[]> {
  const empty = (error: string): ExtractedFace => ({ url, present: false, blendshapes: [], aus: [], pose: [0, 0, 0], width: 0, height: 0, ms: 0, error });
  let bitmap: ImageBitmap;
  try {
    const response = await fetch(url);
    if (!response.ok) return framings.map(() => empty(`HTTP ${response.status}`));
    bitmap = await createImageBitmap(await response.blob());
  } catch (error) {
    return framings.map(() => empty(String(error)));
  }
  const results = framings.map((framing): ExtractedFace => {
    try {
      const t0 = performance.now();
      const face = tracker!.detect(frame(bitmap, framing), 0);
      return {
        url,
        present: face.present,
        blendshapes: Array.from(face.blendshapes),
        aus: Array.from(face.aus),
        pose: [face.pose.yaw, face.pose.pitch, face.pose.roll],
        width: bitmap.width,
        height: bitmap.height,
        ms: performance.now() - t0,
      };
    } catch (error) {
      return empty(String(error));
    }
  });
  bitmap.close();
  return results;
}

const api = {
  async init(): Promise<string> {
    tracker ??= await createFaceTracker({ runningMode: 'IMAGE', keepLandmarks: false });
    return 'ready';
  },
  /** Analyses each URL under each framing, in order: result[i][j] = url i, framing j. */
  async analyseBatch(urls: string[], framings: FramingOptions[]): Promise<ExtractedFace[][]> {
    const out: ExtractedFace[][] = [];
    for (const url of urls) out.push(await analyse(url, framings));
    return out;
  },
};

declare global {
  interface Window {
    faceExtraction: typeof api;
  }
}
window.faceExtraction = api;
