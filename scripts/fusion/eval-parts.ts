/**
 * Pieces of scripts/eval.ts: per-branch logistic-regression baselines (with and without per-person normalisation),
 * face peers on the same images, the BDCL-vs-CE ablation, and the fused model through the public FusionModel API.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { CalibrationScheme } from '../../src/fusion/calibration';
import type { FusionModel } from '../../src/fusion/fusion-model';
import type { InputNorm } from '../../src/fusion/fusion-model';
import { LABELS, MODALITIES, type Modality } from '../../src/shared/labels';
import type { LossConfig } from '../../src/training/train-step';
import type { Composite, Item } from './compose';
import { toItems, type SplitRecord } from './dataset';
import { argmax, compact, evaluateFused, report, type TrainOptionsBase } from './evaluate';
import { predictLogistic, trainLogistic } from './logreg';
import { trainFusion } from './trainer';

/** Fused model through FusionModel.predict (calibrated inputs), batched. */
export async function predictComposites(model: FusionModel, composites: readonly Composite[], withPrior: boolean): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < composites.length; start += 256) {
    const chunk = composites.slice(start, start + 256).map((c) => ({
      face: c.parts.face?.cal ?? null,
      voice: c.parts.voice?.cal ?? null,
      text: c.parts.text?.cal ?? null,
      prior: withPrior ? (c.prior ?? null) : null,
    }));
    for (const p of await model.predict(chunk)) out.push(argmax(p.probs));
  }
  return out;
}

/** One branch alone through FusionModel.predict. */
export async function predictBranch(model: FusionModel, items: readonly Item[], only?: Modality): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < items.length; start += 256) {
    const chunk = items.slice(start, start + 256).map((i) => {
      const m = only ?? i.modality;
      return { face: null, voice: null, text: null, [m]: i.cal };
    });
    for (const p of await model.predict(chunk)) out.push(argmax(p.probs));
  }
  return out;
}

/**
 * Class-balanced logistic regression per branch, trained on the train records, scored on the eval items of the
 * same branch; with per-person normalisation (the model's calibration) and with population z-scores only.
 */
export function logisticBaselines(
  trainRecords: readonly SplitRecord[],
  evalRecords: readonly SplitRecord[],
  scheme: CalibrationScheme,
  norm: Record<Modality, InputNorm>,
) {
  const out: Record<string, ReturnType<typeof compact>> = {};
  for (const perPerson of [true, false]) {
    const train = toItems(trainRecords, scheme, norm, perPerson);
    const evaluated = toItems(evalRecords, scheme, norm, perPerson);
    for (const m of MODALITIES) {
      const tr = train.filter((i) => i.modality === m);
      const ev = evaluated.filter((i) => i.modality === m);
      if (!tr.length || !ev.length) continue;
      const lr = trainLogistic(tr.map((i) => i.std), tr.map((i) => i.label), LABELS.length, { iterations: 300 });
      const predicted = ev.map((i) => predictLogistic(lr, i.std));
      const key = `${m} logreg ${perPerson ? '+ per-person norm' : '(population z-score)'}`;
      out[key] = compact(report(ev.map((i) => i.label), predicted));
      for (const corpus of [...new Set(ev.map((i) => i.corpus))]) {
        const idx = ev.map((i, k) => (i.corpus === corpus ? k : -1)).filter((k) => k >= 0);
        out[`${key} [${corpus}]`] = compact(report(idx.map((k) => ev[k].label), idx.map((k) => predicted[k])));
      }
    }
  }
  return out;
}

interface PeerRow {
  peer: string;
  dataset: string;
  file: string;
  label: string;
  probs: number[] | null;
}

/**
 * Peers (face-api, human) on exactly the evaluated face images they saw (no face → neutral, as the peer report
 * does), each next to our face branch on the same images (`ours`: image id → our predicted class).
 */
/** The peers' per-image results (scripts/eval-face-peers.ts), parsed once per run: eval asks for several row sets. */
const peerFiles = new Map<string, PeerRow[]>();
function peerFile(path: string): PeerRow[] {
  let rows = peerFiles.get(path);
  if (!rows) {
    rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as PeerRow);
    peerFiles.set(path, rows);
  }
  return rows;
}

/** Peer rows on the evaluated face images; `split` names them (e.g. "face-api (peer) on its dev images"). */
export function peerRows(evalItems: readonly Item[], peersJsonl: string, peersReport: string, ours: ReadonlyMap<string, number>, split = 'dev') {
  const wanted = new Map(evalItems.filter((i) => i.modality === 'face').map((i) => [i.id, i.label]));
  if (!existsSync(peersJsonl)) {
    return existsSync(peersReport) ? { note: `per-image peer rows missing; summary from ${peersReport}`, report: JSON.parse(readFileSync(peersReport, 'utf8')) } : { note: 'no peer results found' };
  }
  // One row set over all evaluated images and one per corpus (the issue asks to beat each peer on unseen
  // performers of the training corpus and on the other corpus separately).
  const byPeer = new Map<string, { truth: number[]; predicted: number[]; ours: number[] }>();
  for (const r of peerFile(peersJsonl)) {
    const label = wanted.get(`${r.dataset}/${r.file}`);
    if (label === undefined) continue;
    const mine = ours.get(`${r.dataset}/${r.file}`);
    if (mine === undefined) continue;
    // Also per corpus on only the images where the peer found a face (face-api's SSD misses half of muxspace's small
    // crops; a miss counts as neutral above, which is what a user gets, but this row shows its accuracy when it answers).
    const keys = [r.peer, `${r.peer} [${r.dataset}]`, ...(r.probs ? [`${r.peer} [${r.dataset}, face found]`] : [])];
    for (const key of keys) {
      const row = byPeer.get(key) ?? { truth: [], predicted: [], ours: [] };
      row.truth.push(label);
      row.predicted.push(r.probs ? argmax(r.probs) : 0);
      row.ours.push(mine);
      byPeer.set(key, row);
    }
  }
  // Where the peer found every face of a corpus, the face-found rows repeat the corpus rows: drop them.
  for (const key of [...byPeer.keys()]) {
    const corpusKey = key.replace(/, face found\]$/, ']');
    if (corpusKey !== key && byPeer.get(corpusKey)?.truth.length === byPeer.get(key)!.truth.length) byPeer.delete(key);
  }
  return Object.fromEntries(
    [...byPeer].flatMap(([peer, r]) => [
      [`${peer} (peer) on its ${split} images`, compact(report(r.truth, r.predicted))],
      [`our face branch on the ${peer} images (${r.truth.length})`, compact(report(r.truth, r.ours))],
    ]),
  );
}

/** Mean recall of the `k` least frequent classes in training. */
export function minorityRecall(recall: Record<string, number>, trainCounts: number[], k = 3): { classes: string[]; meanRecall: number } {
  const classes = LABELS.map((l, i) => ({ l, n: trainCounts[i] })).sort((a, b) => a.n - b.n).slice(0, k).map((c) => c.l);
  return { classes, meanRecall: Math.round((classes.reduce((s, c) => s + recall[c], 0) / k) * 10_000) / 10_000 };
}

export interface SeedMean {
  seeds: number[];
  macroF1: number;
  macroF1Sd: number;
  weightedF1: number;
  minorityRecall: number;
  minorityRecallSd: number;
}

const meanSd = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return [Math.round(mean * 10_000) / 10_000, Math.round(sd * 10_000) / 10_000];
};

/**
 * The ablation over several seeds (seed, seed+1, …): each arm keeps its first seed's full report and gains
 * `perSeed` and `mean` (mean ± sd of fused macro-F1 and minority recall), since one seed's difference between the
 * arms is within seed-to-seed spread.
 */
export async function ablationOverSeeds(
  seeds: readonly number[],
  run: (seed: number) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const runs: Record<string, unknown>[] = [];
  for (const seed of seeds) runs.push(await run(seed));
  type Arm = { fused: { macroF1: number; weightedF1: number }; minority: { meanRecall: number } };
  const out: Record<string, unknown> = { ...runs[0] };
  for (const arm of Object.keys(runs[0])) {
    const perSeed = runs.map((r, k) => {
      const a = r[arm] as Arm;
      return { seed: seeds[k], macroF1: a.fused.macroF1, weightedF1: a.fused.weightedF1, minorityRecall: a.minority.meanRecall };
    });
    const [macroF1, macroF1Sd] = meanSd(perSeed.map((p) => p.macroF1));
    const [minorityRecall, minorityRecallSd] = meanSd(perSeed.map((p) => p.minorityRecall));
    const mean: SeedMean = { seeds: [...seeds], macroF1, macroF1Sd, weightedF1: meanSd(perSeed.map((p) => p.weightedF1))[0], minorityRecall, minorityRecallSd };
    out[arm] = { ...(runs[0][arm] as object), perSeed, mean };
  }
  return out;
}

/** BDCL vs plain CE: same seed, same schedule, same data; both scored on the eval items/triples. */
export async function ablation(
  train: Item[],
  devTriples: readonly Composite[],
  evalItems: readonly Item[],
  evalTriples: readonly Composite[],
  base: TrainOptionsBase,
  arms: Record<string, LossConfig>,
  log: (line: string) => void,
) {
  const counts = new Array<number>(LABELS.length).fill(0);
  for (const i of train) if (i.label >= 0) counts[i.label]++;
  const out: Record<string, unknown> = {};
  for (const [name, loss] of Object.entries(arms)) {
    const copy = train.map((i) => ({ ...i }));
    log(`ablation arm ${name}…`);
    const result = await trainFusion(copy, devTriples, { ...base, loss });
    const scored = evaluateFused(result.net, evalItems, evalTriples);
    const fused = compact(scored.fused);
    out[name] = {
      fused,
      minority: minorityRecall(fused.recall, counts),
      branches: scored.summary.branches,
      bestEpoch: result.bestEpoch,
    };
    result.net.dispose();
  }
  return out;
}
