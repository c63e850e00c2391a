/**
 * Scoring helpers shared by train.ts (dev metrics in metadata) and eval.ts: each branch alone on its own corpus
 * items, and the fused model on composed triples, with the shared metrics module (scripts/lib/metrics.ts).
 */
import type { FusionNet } from '../../src/fusion/model';
import { LABELS, MODALITIES, type Modality } from '../../src/shared/labels';
import { classificationReport, type ClassificationReport } from '../lib/metrics';
import { sampleOf, type Composite, type Item } from './compose';
import { predictNet, type TrainOptions } from './trainer';

export type TrainOptionsBase = Omit<TrainOptions, 'loss' | 'log' | 'priorComposites'>;

export const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
  return best;
};

/** Compact report: rounded headline figures, per-class recall and confusion. */
export function compact(r: ClassificationReport) {
  const round = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    n: r.n,
    weightedF1: round(r.weightedF1),
    macroF1: round(r.macroF1),
    accuracy: round(r.accuracy),
    uar: round(r.uar),
    recall: Object.fromEntries(LABELS.map((l, i) => [l, round(r.perClass[i].recall)])),
    confusion: r.confusion,
  };
}

export function report(truth: readonly number[], predicted: readonly number[]) {
  return classificationReport(truth, predicted, LABELS.length);
}

/** Branch-alone predictions: each item with only its own modality present. */
export function branchAlone(net: FusionNet, items: readonly Item[]): number[] {
  const { probs } = predictNet(net, items.map((i) => ({ face: null, voice: null, text: null, [i.modality]: i.std })));
  return probs.map(argmax);
}

export function evaluateFused(net: FusionNet, items: readonly Item[], triples: readonly Composite[]) {
  const branches = {} as Record<Modality, ClassificationReport | null>;
  for (const m of MODALITIES) {
    const rows = items.filter((i) => i.modality === m);
    branches[m] = rows.length ? report(rows.map((i) => i.label), branchAlone(net, rows)) : null;
  }
  const { probs } = predictNet(net, triples.map((c) => sampleOf(c)));
  const fused = report(triples.map((c) => c.label), probs.map(argmax));
  return {
    fused,
    branches,
    summary: {
      fused: compact(fused),
      branches: Object.fromEntries(MODALITIES.map((m) => [m, branches[m] ? compact(branches[m]!) : null])),
    },
  };
}
