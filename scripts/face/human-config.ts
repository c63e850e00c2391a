/**
 * @vladmandic/human 3.3.6 configured as our face-emotion peer (BlazeFace + FaceMesh + emotion, everything else off,
 * no frame-skipping cache), shared by the accuracy page (scripts/face/peers.ts) and the live benchmark
 * (scripts/bench/human-live.ts) so both measure the same model.
 */
const off = { enabled: false };

export function humanFaceEmotionConfig(o: { modelBasePath: string; backend: string; wasmPath: string; rotation: boolean }) {
  return {
    modelBasePath: o.modelBasePath,
    backend: o.backend as 'wasm',
    wasmPath: o.wasmPath,
    debug: false,
    async: true,
    warmup: 'none' as const,
    // Every frame/image is analysed in full, as our tracker does.
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: { modelPath: 'blazeface.json', maxDetected: 1, minConfidence: 0.2, rotation: o.rotation, skipFrames: 0, skipTime: 0 },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: off,
      iris: off,
      description: off,
      antispoof: off,
      liveness: off,
      emotion: { enabled: true, modelPath: 'emotion.json', minConfidence: 0, skipFrames: 0, skipTime: 0 },
    },
    body: off,
    hand: off,
    object: off,
    gesture: off,
    segmentation: off,
  };
}
