/** Teach view charts: live loss curves (uPlot), per-class validation F1, and the 2-D embedding (PCA) scatter. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ClassMetrics, EmbeddingSnapshot, EpochReport } from '../finetune/types';

const SERIES: { key: keyof EpochReport['loss']; label: string; stroke: string }[] = [
  { key: 'total', label: 'total', stroke: '#222' },
  { key: 'ce', label: 'CE', stroke: '#d9480f' },
  { key: 'inter', label: 'inter-modality', stroke: '#1971c2' },
  { key: 'intra', label: 'intra-modality', stroke: '#2f9e44' },
];

export const CLASS_COLOURS = ['#1971c2', '#e03131', '#2f9e44', '#f08c00', '#7048e8', '#0c8599', '#c2255c', '#5c940d', '#495057', '#862e9c'];

export class LossChart {
  private plot: uPlot;
  constructor(host: HTMLElement) {
    this.plot = new uPlot(
      {
        width: Math.max(280, Math.min(560, host.clientWidth || 480)),
        height: 200,
        title: 'Training loss',
        scales: { x: { time: false } },
        axes: [{ label: 'epoch' }, {}],
        series: [{ label: 'epoch' }, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 1.5 }))],
      },
      [[], ...SERIES.map(() => [])],
      host,
    );
  }
  update(history: readonly EpochReport[]): void {
    this.plot.setData([history.map((h) => h.epoch), ...SERIES.map((s) => history.map((h) => h.loss[s.key]))]);
  }
  destroy(): void {
    this.plot.destroy();
  }
}

/** Per-class F1 table (validation clips). */
export function renderF1(host: HTMLElement, labels: readonly string[], metrics: ClassMetrics | null, before?: ClassMetrics | null): void {
  host.replaceChildren();
  if (!metrics) return;
  const table = document.createElement('table');
  table.className = 'f1-table';
  table.innerHTML = '<caption>Validation F1 per label</caption><thead><tr><th scope="col">label</th><th scope="col">before</th><th scope="col">after</th></tr></thead>';
  const body = document.createElement('tbody');
  labels.forEach((l, i) => {
    const row = document.createElement('tr');
    row.dataset.label = l;
    for (const text of [l, before ? before.f1[i].toFixed(2) : '—', metrics.f1[i].toFixed(2)]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    body.append(row);
  });
  table.append(body);
  host.append(table);
}

/** PCA scatter of the fused embeddings: filled = training clip, ring = validation clip; colour = label. */
export function drawEmbedding(canvas: HTMLCanvasElement, snap: EmbeddingSnapshot | null, labels: readonly string[], title: string): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(title, 6, 14);
  if (!snap || snap.points.length === 0) return;
  const xs = snap.points.map((p) => p[0]);
  const ys = snap.points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => 12 + ((x - x0) / (x1 - x0 || 1)) * (width - 24);
  const sy = (y: number) => 24 + ((y - y0) / (y1 - y0 || 1)) * (height - 36);
  snap.points.forEach(([x, y], i) => {
    const colour = CLASS_COLOURS[snap.labels[i] % CLASS_COLOURS.length];
    ctx.beginPath();
    ctx.arc(sx(x), sy(y), 4, 0, Math.PI * 2);
    if (snap.validation[i]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.stroke();
    } else {
      ctx.fillStyle = colour;
      ctx.fill();
    }
  });
  labels.forEach((l, i) => {
    ctx.fillStyle = CLASS_COLOURS[i % CLASS_COLOURS.length];
    ctx.fillText(l, width - 90, 14 + i * 13);
  });
  canvas.setAttribute('aria-label', `${title}: ${snap.points.length} clips, validation accuracy ${(snap.metrics.accuracy * 100).toFixed(0)}%`);
}
