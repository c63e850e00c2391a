/**
 * Evaluates the shipped text model on one split of any directory laid out like ../shared/data/text, beside a
 * TF-IDF + logistic-regression baseline trained on MELD train (class weights balanced^0.5, L2 1e-4: the best of the
 * grid in scripts/text/baseline-probe.ts on MELD dev), and writes reports/eval-text.json.
 *   npm run eval:text -- --data ../shared/data/text --split dev [--corpus meld|emorynlp|goemotions|tweets|all]
 *     [--model public/models/text] [--train-data ../shared/data/text] [--backend wasm|cpu] [--no-baseline]
 * With --split test a held-out MELD test csv (meld/test_sent_emo.csv) can be dropped into --data.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { LABELS } from '../src/shared/labels';
import { loadTextModel, type TextModel } from '../src/text/model';
import { DOMAINS, loadSplit, type Domain, type LabelledUtterance } from './text/datasets';
import { TfidfLogisticBaseline } from './text/baseline';
import { argmax, evaluate, type EvalMetrics } from './text/metrics';
import { useWasmBackend } from './text/wasm-backend';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/text' },
    split: { type: 'string', default: 'dev' },
    corpus: { type: 'string', default: 'meld' },
    model: { type: 'string', default: 'public/models/text' },
    'train-data': { type: 'string', default: '../shared/data/text' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'reports/eval-text.json' },
    'no-baseline': { type: 'boolean', default: false },
  },
});

const backend = args.backend === 'cpu' ? (await tf.setBackend('cpu'), 'cpu') : await useWasmBackend();
const model = await loadTextModel({ dir: resolve(args.model!) }, tf);
const corpora: Domain[] = args.corpus === 'all' ? [...DOMAINS] : [args.corpus as Domain];

async function predictAll(m: TextModel, rows: readonly LabelledUtterance[], withContext: boolean): Promise<{ metrics: EvalMetrics; meanConfidence: number }> {
  const predicted: number[] = [];
  let confidence = 0;
  for (let s = 0; s < rows.length; s += 128) {
    const chunk = rows.slice(s, s + 128);
    const readings = await m.predict(chunk.map((u) => u.text), withContext ? { previous: chunk.map((u) => u.previous) } : undefined);
    for (const r of readings) {
      predicted.push(argmax(r.scores));
      confidence += r.confidence;
    }
  }
  return { metrics: evaluate(rows.map((u) => u.label), predicted), meanConfidence: confidence / Math.max(1, rows.length) };
}

/** Mean wall-clock ms per single-utterance predict() call (batch 1, after warm-up). */
async function perUtteranceMs(m: TextModel, rows: readonly LabelledUtterance[]): Promise<number> {
  const sample = rows.slice(0, 300);
  for (const u of sample.slice(0, 20)) await m.predict([u.text]);
  const t0 = performance.now();
  for (const u of sample) await m.predict([u.text]);
  return (performance.now() - t0) / Math.max(1, sample.length);
}

const fmt = (x: number) => x.toFixed(3);
const row = (name: string, m: EvalMetrics) =>
  `${name.padEnd(34)} ${fmt(m.weightedF1)}  ${fmt(m.macroF1)}  ${fmt(m.accuracy)}  ${LABELS.map((l) => fmt(m.perClass[l].recall)).join('  ')}`;

/** Tuned on MELD dev (baseline-probe.ts): sklearn-style fully balanced weights lose 0.02 weighted F1. */
const BASELINE_SETTINGS = { balance: 0.5, l2: 1e-4 };
const baselineTrain = loadSplit(resolve(args['train-data']!), 'meld', 'train');
const baseline = args['no-baseline'] || baselineTrain.length === 0 ? null : new TfidfLogisticBaseline().fit(baselineTrain, BASELINE_SETTINGS);
const results: Record<string, unknown>[] = [];
console.log(`text model ${args.model} on ${args.data} split "${args.split}" (backend ${backend})`);
console.log(`${'system'.padEnd(34)} wF1    macF1  acc    ${LABELS.map((l) => l.slice(0, 5).padEnd(5)).join('  ')}  (recall)`);
let timingRows: ReturnType<typeof loadSplit> = [];
for (const corpus of corpora) {
  const rows = loadSplit(resolve(args.data!), corpus, args.split!);
  if (rows.length === 0) continue;
  if (!timingRows.length) timingRows = rows;
  const plain = await predictAll(model, rows, false);
  console.log(row(`${corpus}: model`, plain.metrics));
  const entry: Record<string, unknown> = { corpus, split: args.split, n: rows.length, model: { ...plain.metrics, meanConfidence: plain.meanConfidence } };
  if (model.metadata.usesContext && rows.some((u) => u.previous)) {
    const context = await predictAll(model, rows, true);
    console.log(row(`${corpus}: model + previous utterance`, context.metrics));
    entry.modelWithContext = context.metrics;
  }
  if (baseline) {
    const predicted = rows.map((u) => argmax(baseline.predictProbs(u.text)));
    const metrics = evaluate(rows.map((u) => u.label), predicted);
    console.log(row(`${corpus}: baseline TF-IDF+LR (MELD train)`, metrics));
    entry.baseline = { ...metrics, settings: BASELINE_SETTINGS };
  }
  results.push(entry);
}
const ms = await perUtteranceMs(model, timingRows.length ? timingRows : [{ text: 'hello there', label: 0, domain: 'meld' }]);
console.log(`inference: ${ms.toFixed(3)} ms per utterance (batch 1, ${backend} backend, Node ${process.version})`);
model.dispose();

const report = {
  date: new Date().toISOString(),
  machine: `${process.platform} ${process.arch}, Node ${process.version}`,
  data: args.data,
  split: args.split,
  backend,
  labels: LABELS,
  perUtteranceMs: Number(ms.toFixed(4)),
  results,
};
mkdirSync(dirname(resolve(args.out!)), { recursive: true });
writeFileSync(resolve(args.out!), JSON.stringify(report, null, 1));
console.log(`wrote ${args.out}`);
