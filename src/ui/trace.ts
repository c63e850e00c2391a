/**
 * Scrolling pitch (semitones re 27.5 Hz, eGeMAPS v02 convention) and loudness trace for the live voice panel.
 */
const SECONDS = 8;
const FRAME_SEC = 0.01;

export class VoiceTrace {
  private f0: number[] = [];
  private loud: number[] = [];

  constructor(private readonly canvas: HTMLCanvasElement) {}

  /** Appends per-frame traces (f0 in Hz, 0 = unvoiced; loudness in the extractor's units). */
  push(f0Hz: ArrayLike<number>, loudness: ArrayLike<number>): void {
    for (let i = 0; i < f0Hz.length; i++) this.f0.push(f0Hz[i] > 0 ? 12 * Math.log2(f0Hz[i] / 27.5) : Number.NaN);
    for (let i = 0; i < loudness.length; i++) this.loud.push(loudness[i]);
    const keep = Math.round(SECONDS / FRAME_SEC);
    if (this.f0.length > keep) this.f0.splice(0, this.f0.length - keep);
    if (this.loud.length > keep) this.loud.splice(0, this.loud.length - keep);
    this.draw();
  }

  clear(): void {
    this.f0 = [];
    this.loud = [];
    this.draw();
  }

  private draw() {
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const { width: w, height: h } = this.canvas;
    ctx.clearRect(0, 0, w, h);
    const n = Math.round(SECONDS / FRAME_SEC);
    const x = (i: number, len: number) => w - ((len - i) / n) * w;
    const maxLoud = Math.max(1e-6, ...this.loud);
    ctx.fillStyle = 'rgba(154, 163, 178, 0.35)';
    this.loud.forEach((v, i) => {
      const bh = (v / maxLoud) * h * 0.9;
      ctx.fillRect(x(i, this.loud.length), h - bh, Math.max(1, w / n), bh);
    });
    // Pitch axis 30–70 st covers ≈ 155–1550 Hz... use 25–65 st (≈ 117–1100 Hz) for speech.
    const lo = 25;
    const hi = 65;
    ctx.fillStyle = '#ffd166';
    this.f0.forEach((st, i) => {
      if (!Number.isFinite(st)) return;
      const y = h - ((st - lo) / (hi - lo)) * h;
      ctx.fillRect(x(i, this.f0.length), y - 1, 2, 2);
    });
  }
}
