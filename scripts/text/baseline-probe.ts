/**
 * Tuning grid for the TF-IDF + logistic-regression baseline (baseline.ts) on MELD dev (the tuning split).
 *   npx tsx scripts/text/baseline-probe.ts [--data ../shared/data/text]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LABELS } from '../../src/shared/labels';
import { TfidfLogisticBaseline } from './baseline';
import { loadSplit } from './datasets';
import { argmax, evaluate } from './metrics';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/text' },
    /** Fit only this grid row (JSON, e.g. '{"balance":0.5}') and write its dev log-probabilities to --dump. */
    only: { type: 'string' },
    dump: { type: 'string' },
  },
});
const train = loadSplit(resolve(args.data!), 'meld', 'train');
const dev = loadSplit(resolve(args.data!), 'meld', 'dev');
const grid = [
  { balance: 1, epochs: 5, l2: 3e-4 },
  { balance: 0.5, epochs: 5, l2: 3e-4 },
  { balance: 0, epochs: 5, l2: 3e-4 },
  { balance: 0.5, epochs: 3, l2: 3e-4 },
  { balance: 0.5, epochs: 8, l2: 3e-4 },
  { balance: 0.5, epochs: 5, l2: 1e-4 },
  { balance: 0.5, epochs: 5, l2: 1e-3 },
];
for (const options of args.only ? [JSON.parse(args.only) as (typeof grid)[number]] : grid) {
  const model = new TfidfLogisticBaseline().fit(train, options);
  const m = evaluate(dev.map((u) => u.label), dev.map((u) => argmax(model.predictProbs(u.text))));
  if (args.dump) writeFileSync(resolve(args.dump), JSON.stringify({ truth: dev.map((u) => u.label), logits: dev.flatMap((u) => Array.from(model.predictProbs(u.text), (p) => Number(Math.log(p).toFixed(5)))) }));
  console.log(`${JSON.stringify(options)} wF1 ${m.weightedF1.toFixed(4)} macro ${m.macroF1.toFixed(4)} recall ${LABELS.map((l) => m.perClass[l].recall.toFixed(2)).join(' ')}`);
}
