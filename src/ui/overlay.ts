/** Draws the face landmarks over the video, letterboxed like `object-fit: contain`. */
export function drawLandmarks(canvas: HTMLCanvasElement, video: HTMLVideoElement, landmarks: Float32Array | undefined): void {
  const rect = canvas.getBoundingClientRect();
  const dpr = globalThis.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(rect.width * dpr));
  const h = Math.max(1, Math.round(rect.height * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, w, h);
  if (!landmarks || !video.videoWidth) return;
  const scale = Math.min(w / video.videoWidth, h / video.videoHeight);
  const dw = video.videoWidth * scale;
  const dh = video.videoHeight * scale;
  const ox = (w - dw) / 2;
  const oy = (h - dh) / 2;
  ctx.fillStyle = 'rgba(106, 169, 255, 0.85)';
  const r = Math.max(1, dpr);
  for (let i = 0; i < landmarks.length; i += 3) {
    ctx.fillRect(ox + landmarks[i] * dw - r / 2, oy + landmarks[i + 1] * dh - r / 2, r, r);
  }
}
