/**
 * Timeline plots of an analysis (uPlot): class probabilities, valence/arousal and per-modality contribution lanes,
 * one point per segment at its midpoint, x-axes synced. A click anywhere seeks the player; a vertical marker
 * follows the player's time.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { LABELS, MODALITIES } from '../shared/labels';
import type { AnalysisSegment } from '../analysis/types';

const LABEL_COLORS: Record<string, string> = {
  neutral: '#9aa3b2', angry: '#ff6b6b', happy: '#ffd166', sad: '#4dabf7', worried: '#b197fc', surprise: '#63e6be',
};
const MODALITY_COLORS: Record<string, string> = { face: '#6aa9ff', voice: '#ffb454', text: '#63e6be' };

export interface Timeline {
  setTime(t: number): void;
  destroy(): void;
}

const axisStyle = { stroke: '#9aa3b2', grid: { stroke: '#262b36' }, ticks: { stroke: '#262b36' } };

function plot(host: HTMLElement, title: string, data: uPlot.AlignedData, series: uPlot.Series[], range: [number, number], width: number, height: number, sync: string): uPlot {
  const opts: uPlot.Options = {
    title,
    width,
    height,
    cursor: { sync: { key: sync }, drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range } },
    axes: [{ ...axisStyle, label: 's' }, { ...axisStyle, size: 40 }],
    series: [{ label: 't' }, ...series],
    legend: { live: true },
  };
  return new uPlot(opts, data, host);
}

/** Draws the three plots into `host` (replacing its content). `onSeek` gets the clicked media time. */
export function renderTimeline(host: HTMLElement, segments: readonly AnalysisSegment[], onSeek: (t: number) => void): Timeline {
  host.replaceChildren();
  const width = Math.max(320, host.clientWidth || 800);
  const x = segments.map((s) => (s.start + s.end) / 2);
  const sync = `analysis-${Math.random().toString(36).slice(2)}`;
  const holders = [0, 1, 2].map(() => host.appendChild(document.createElement('div')));
  const probs = plot(
    holders[0], 'Class probabilities',
    [x, ...LABELS.map((l) => segments.map((s) => s.probs[l]))],
    LABELS.map((l) => ({ label: l, stroke: LABEL_COLORS[l], width: 2 })),
    [0, 1], width, 200, sync,
  );
  const affect = plot(
    holders[1], 'Valence / arousal',
    [x, segments.map((s) => s.valence), segments.map((s) => s.arousal)],
    [{ label: 'valence', stroke: '#ffd166', width: 2 }, { label: 'arousal', stroke: '#ff6b6b', width: 2 }],
    [-1, 1], width, 180, sync,
  );
  const lanes = plot(
    holders[2], 'Modality contributions',
    [x, ...MODALITIES.map((m) => segments.map((s) => s.contributions[m]))],
    MODALITIES.map((m) => ({ label: m, stroke: MODALITY_COLORS[m], fill: `${MODALITY_COLORS[m]}33`, width: 1, paths: uPlot.paths.stepped?.({ align: 1 }) })),
    [0, 1], width, 180, sync,
  );
  const plots = [probs, affect, lanes];
  for (const p of plots) {
    p.over.addEventListener('click', () => {
      const left = p.cursor.left;
      if (left === undefined || left < 0) return;
      onSeek(Math.max(0, p.posToVal(left, 'x')));
    });
  }
  const markers = plots.map((p) => {
    const m = document.createElement('div');
    m.className = 'analyze-marker';
    p.over.append(m);
    return m;
  });
  return {
    setTime(t) {
      plots.forEach((p, i) => {
        const left = p.valToPos(t, 'x');
        markers[i].style.left = `${Number.isFinite(left) ? left : -10}px`;
      });
    },
    destroy() {
      for (const p of plots) p.destroy();
      host.replaceChildren();
    },
  };
}
