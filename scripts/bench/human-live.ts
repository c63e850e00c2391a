/**
 * Live peer for the benchmark: @vladmandic/human 3.3.6 (BlazeFace + FaceMesh + emotion) on the fake camera, with
 * the same frame-dropping loop as our live face tracker (src/face/live-face.ts: requestVideoFrameCallback, skip
 * while busy). Models and tfjs-wasm binaries are served locally by the driver (`?models=`, `?wasm=`); no CDN.
 * Load with `?backend=webgpu|wasm|cpu`. Exposes `window.humanLive`.
 */
import { Human } from '@vladmandic/human';
import { humanFaceEmotionConfig } from '../face/human-config';

const params = new URLSearchParams(location.search);

type VideoWithRvfc = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };

const stats = { processed: 0, dropped: 0, detectMs: 0, faces: 0, emotions: {} as Record<string, number> };
let running = false;

async function start(): Promise<{ backend: string; version: string }> {
  const human = new Human(
    humanFaceEmotionConfig({
      modelBasePath: params.get('models') ?? '/__human-models/',
      backend: params.get('backend') ?? 'wasm',
      wasmPath: params.get('wasm') ?? '/__tfjs-wasm/',
      rotation: false,
    }),
  );
  await human.load();
  const video = document.getElementById('video') as VideoWithRvfc;
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  await video.play();
  // One warm-up detection compiles the kernels (our side warms up in init too).
  await human.detect(video);
  running = true;
  let busy = false;
  const tick = () => {
    if (!running) return;
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(tick);
    else requestAnimationFrame(tick);
    if (video.readyState < 2) return;
    if (busy) {
      stats.dropped++;
      return;
    }
    busy = true;
    const t0 = performance.now();
    human
      .detect(video)
      .then((result) => {
        stats.processed++;
        stats.detectMs += performance.now() - t0;
        const face = result.face[0];
        if (face) {
          stats.faces++;
          const top = face.emotion?.[0]?.emotion;
          if (top) stats.emotions[top] = (stats.emotions[top] ?? 0) + 1;
        }
      })
      .finally(() => {
        busy = false;
      });
  };
  tick();
  return { backend: human.tf.getBackend(), version: human.version };
}

Object.assign(globalThis, {
  humanLive: {
    start,
    stats: () => ({ ...stats, meanDetectMs: stats.detectMs / Math.max(1, stats.processed) }),
    stop: () => {
      running = false;
    },
  },
});
