/**
 * Late fusion of the text network with the TF-IDF LR baseline on MELD dev: z = logits + α · log p_LR, for a grid of α,
 * argmax and after the same post-hoc logit adjustment as training (τ fitted on dev, so that column is optimistic).
 *   npx tsx scripts/text/late-fusion-probe.ts <lr-dump.json> <model-dump.json>...
 * Dumps come from baseline-probe.ts --dump and train-text.ts --dump-dev-logits.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LABELS } from '../../src/shared/labels';
import { logitAdjustment } from './calibration';
import { loadSplit } from './datasets';
import { metricsWithBias } from './decision-rule';

const [lrFile, ...modelFiles] = process.argv.slice(2);
const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { truth: number[]; logits: number[] };
const lr = read(lrFile);
const k = LABELS.length;
const train = loadSplit(resolve('../shared/data/text'), 'meld', 'train');
const prior = LABELS.map((_, c) => (train.filter((u) => u.label === c).length + 1) / (train.length + k));
const zero = new Array<number>(k).fill(0);
const fmt = (m: { weightedF1: number; macroF1: number }) => `${m.weightedF1.toFixed(4)}/${m.macroF1.toFixed(4)}`;
for (const alpha of [0, 0.25, 0.5, 0.75, 1, 1.5]) {
  const cells = modelFiles.map((f) => {
    const model = read(f);
    const z = Float32Array.from(model.logits, (v, i) => v + alpha * lr.logits[i]);
    const { tau, adjustment } = logitAdjustment(z, lr.truth, prior);
    return `${fmt(metricsWithBias(z, lr.truth, zero))} τ${tau.toFixed(1)}→${fmt(metricsWithBias(z, lr.truth, adjustment))}`;
  });
  console.log(`α=${alpha.toFixed(2)}  ${cells.join('  ')}`);
}
