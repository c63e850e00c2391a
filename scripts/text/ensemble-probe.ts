/**
 * Probe: does averaging seeds help the text model? Reads the dev logits that `scripts/train-text.ts
 * --dump-dev-logits <file>` wrote for several seeds of one recipe, and prints each seed's argmax weighted / macro F1
 * next to the argmax of their mean softmax (MELD dev, no decision rule).
 *
 *   npx tsx scripts/text/ensemble-probe.ts .cache/text/dec/cs55-s1{3,4,5,6,7}.json
 */
import { readFileSync } from 'node:fs';
import { LABELS } from '../../src/shared/labels';
import { softmaxInPlace } from './baseline';
import { argmax, evaluate } from './metrics';

interface Dump {
  truth: number[];
  logits: number[];
}

function softmaxRows(logits: readonly number[], classes: number): Float64Array[] {
  return Array.from({ length: logits.length / classes }, (_, i) => {
    const row = Float64Array.from(logits.slice(i * classes, (i + 1) * classes));
    softmaxInPlace(row);
    return row;
  });
}

const files = process.argv.slice(2);
if (files.length < 2) throw new Error('give two or more --dump-dev-logits files of the same dev split');
const dumps = files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as Dump);
const truth = dumps[0].truth;
if (dumps.some((d) => d.truth.length !== truth.length || d.truth.some((t, i) => t !== truth[i]))) throw new Error('the files score different dev rows');
const probs = dumps.map((d) => softmaxRows(d.logits, LABELS.length));
const line = (name: string, predicted: number[]) => {
  const m = evaluate(truth, predicted);
  console.log(`${name.padEnd(48)} wF1 ${m.weightedF1.toFixed(4)}  macro-F1 ${m.macroF1.toFixed(4)}`);
};
files.forEach((f, k) => line(f, probs[k].map((row) => argmax(row))));
line(`mean softmax of ${files.length}`, truth.map((_, i) => argmax(LABELS.map((_, c) => probs.reduce((s, p) => s + p[i][c], 0)))));
