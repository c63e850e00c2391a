/**
 * How much a dev-fitted decision rule (decision-rule.ts) is worth honestly: fit per-class biases on one half of MELD
 * dev and score the other half (stratified random halves, repeated), vs. the plain argmax, on dumped dev logits.
 *   npx tsx scripts/text/decision-probe.ts .cache/text/dec/<run>.json [...more runs, averaged as an ensemble]
 * Logit files come from `scripts/train-text.ts --dump-dev-logits <file>`. With OOF=<file> (from --dump-oof-logits,
 * one run only) it also prints every decision mode of decision.ts fitted on those MELD-train predictions.
 */
import { readFileSync } from 'node:fs';
import { LABELS } from '../../src/shared/labels';
import { fitClassBiases, metricsWithBias } from './decision-rule';
import { fitDecision } from './decision';
import { loadSplit } from './datasets';
import { seededRandom } from './trainer';

const files = process.argv.slice(2);
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as { truth: number[]; logits: number[] });
const truth = runs[0].truth;
const k = LABELS.length;
const logits = new Float64Array(truth.length * k);
for (const r of runs) r.logits.forEach((v, i) => (logits[i] += v / runs.length));
const zero = new Array<number>(k).fill(0);
const fmt = (m: { weightedF1: number; macroF1: number }) => `${m.weightedF1.toFixed(4)} / ${m.macroF1.toFixed(4)}`;
const plain = metricsWithBias(logits, truth, zero);
const minMacro = Number(process.env.MIN_MACRO ?? 0.45);
const full = fitClassBiases(logits, truth, { minMacro });
console.log(`argmax ${fmt(plain)} | in-sample bias fit ${fmt(metricsWithBias(logits, truth, full))} bias [${full.join(', ')}] ` +
  `recall ${LABELS.map((l) => metricsWithBias(logits, truth, full).perClass[l].recall.toFixed(2)).join(' ')}`);
const random = seededRandom(99);
let [plainW, plainM, fitW, fitM, n] = [0, 0, 0, 0, 0];
for (let repeat = 0; repeat < 10; repeat++) {
  const halves: number[][] = [[], []];
  for (let c = 0; c < k; c++) {
    const rows = truth.map((t, i) => (t === c ? i : -1)).filter((i) => i >= 0);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    rows.forEach((r, i) => halves[i % 2].push(r));
  }
  for (const [fitHalf, testHalf] of [[0, 1], [1, 0]]) {
    const bias = fitClassBiases(logits, truth, { minMacro }, halves[fitHalf]);
    const test = metricsWithBias(logits, truth, bias, halves[testHalf]);
    const base = metricsWithBias(logits, truth, zero, halves[testHalf]);
    [plainW, plainM, fitW, fitM, n] = [plainW + base.weightedF1, plainM + base.macroF1, fitW + test.weightedF1, fitM + test.macroF1, n + 1];
  }
}
console.log(`2-fold dev CV ×10: argmax ${(plainW / n).toFixed(4)} / ${(plainM / n).toFixed(4)} → bias fit on the other half ${(fitW / n).toFixed(4)} / ${(fitM / n).toFixed(4)}`);

if (process.env.OOF) {
  const oof = JSON.parse(readFileSync(process.env.OOF, 'utf8')) as { truth: number[]; logits: number[] };
  const train = loadSplit('../shared/data/text', 'meld', 'train');
  const prior = LABELS.map((_, c) => (train.filter((u) => u.label === c).length + 1) / (train.length + k));
  for (const [mode, fitOn] of [['dev-tau', { logits, truth }], ['dev-bias', { logits, truth }], ['oof-tau', oof], ['oof-bias', oof]] as const) {
    const d = fitDecision(mode, Float32Array.from(fitOn.logits), fitOn.truth, prior);
    const m = metricsWithBias(logits, truth, d.adjustment);
    console.log(`${mode}: τ ${d.tau.toFixed(1)} bias [${d.bias.join(', ')}] T ${d.temperature} → dev ${fmt(m)} sad ${m.perClass.sad.recall.toFixed(2)} worried ${m.perClass.worried.recall.toFixed(2)}`);
  }
}
