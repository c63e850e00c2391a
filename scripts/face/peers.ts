/**
 * Page side of scripts/eval-face-peers.ts: runs one pretrained peer expression classifier per page load
 * (`?peer=face-api` or `?peer=human`; each bundles its own tfjs, so they never share a page), with models
 * served locally under `?models=<url>` (copied from node_modules by the script, no CDN).
 */
import { drawFramed, type FramingOptions } from './framing';
import { humanFaceEmotionConfig } from './human-config';

/** Peer output for one image: the peer's own class names → probability, or null when it found no face. */
export interface PeerResult {
  url: string;
  scores: Record<string, number> | null;
  framing: number;
  ms: number;
  error?: string;
}

type ClassifyFn = (input: HTMLCanvasElement) => Promise<Record<string, number> | null>;

const params = new URLSearchParams(location.search);
const peerName = params.get('peer') ?? 'face-api';
const modelBase = params.get('models') ?? '/__peer-models/';
const requestedBackend = params.get('backend') ?? 'wasm';
/** tfjs-backend-wasm binaries (4.22, the version both peers bundle), served next to the models. */
const wasmPath = new URL(modelBase, location.href).href;

const canvas = document.createElement('canvas');

/** Same framing as scripts/face/extract.ts, always onto a canvas (both peers accept canvases). */
function frame(bitmap: ImageBitmap, framing: FramingOptions): HTMLCanvasElement {
  return drawFramed(canvas, bitmap, framing);
}

async function loadFaceApi(): Promise<{ backend: string; classify: ClassifyFn }> {
  const faceapi = await import('@vladmandic/face-api');
  // face-api's bundled typings omit the backend API of its bundled tfjs.
  const tf = faceapi.tf as unknown as {
    setBackend(name: string): Promise<boolean>; ready(): Promise<void>; getBackend(): string; setWasmPaths(path: string): void;
  };
  if (requestedBackend === 'wasm') tf.setWasmPaths(wasmPath);
  if (!(await tf.setBackend(requestedBackend).catch(() => false))) await tf.setBackend('cpu');
  await tf.ready();
  await faceapi.nets.ssdMobilenetv1.loadFromUri(modelBase);
  await faceapi.nets.faceExpressionNet.loadFromUri(modelBase);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.3, maxResults: 1 });
  return {
    backend: tf.getBackend(),
    async classify(input) {
      const result = await faceapi.detectSingleFace(input, options).withFaceExpressions();
      if (!result) return null;
      return { ...result.expressions } as unknown as Record<string, number>;
    },
  };
}

async function loadHuman(): Promise<{ backend: string; classify: ClassifyFn }> {
  const { Human } = await import('@vladmandic/human');
  const human = new Human(humanFaceEmotionConfig({ modelBasePath: modelBase, backend: requestedBackend, wasmPath, rotation: true }));
  await human.load();
  return {
    backend: human.tf.getBackend(),
    async classify(input) {
      const result = await human.detect(input);
      const face = result.face[0];
      if (!face?.emotion?.length) return null;
      return Object.fromEntries(face.emotion.map((e) => [e.emotion, e.score]));
    },
  };
}

let peer: { backend: string; classify: ClassifyFn } | null = null;

const api = {
  async init(): Promise<string> {
    peer ??= peerName === 'human' ? await loadHuman() : await loadFaceApi();
    return peer.backend;
  },
  /** For each URL, tries the framings in order and keeps the first with a face. */
  async classifyBatch(urls: string[], framings: FramingOptions[]): Promise<PeerResult[]> {
    const out: PeerResult[] = [];
    for (const url of urls) {
      try {
        const bitmap = await createImageBitmap(await (await fetch(url)).blob());
        const t0 = performance.now();
        let scores: Record<string, number> | null = null;
        let used = 0;
        for (; used < framings.length && !scores; used++) scores = await peer!.classify(frame(bitmap, framings[used]));
        out.push({ url, scores, framing: used - 1, ms: performance.now() - t0 });
        bitmap.close();
      } catch (error) {
        out.push({ url, scores: null, framing: -1, ms: 0, error: String(error) });
      }
    }
    return out;
  },
};

declare global {
  interface Window {
    facePeer: typeof api;
  }
}
window.facePeer = api;
