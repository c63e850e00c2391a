/**
 * Evaluates the fusion model on any directory laid out like ../shared/data and writes reports/eval.json.
 *
 * Usage: npm run eval -- --data <dir> [--split dev] [--model public/models/fusion] [--train-data ../shared/data]
 *                        [--no-ablation] [--no-face-cross-corpus] [--no-peers] [--quick] [--seed 7] [--out reports/eval.json]
 * - Peers (face-api, human) run once per data directory (up to 830 images per corpus; ≈ 12 min for ../shared/data here)
 *   and are cached beside its face features.
 * - Persons are calibrated against their own data (all of their records in the evaluated directory).
 * - On another directory (held-out people), or with a split name scripts/splits.json does not use, every face and voice
 *   record of a person the model never trained on is evaluated, whatever --split says; --split also picks the text
 *   files (e.g. MELD test_sent_emo.csv for --split test) when the directory has them.
 * - Fused rows use composed within-class triples of the evaluated items (no paired corpus exists; see MODEL_CARD).
 * - Speech corpora other than RAVDESS are reported separately (cross-corpus), voice branch and baselines.
 * Prints weighted F1 (the MER2024 metric), macro-F1, accuracy, per-class recall and confusion matrices.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFusionModel } from '../src/fusion/load';
import { CURRENT_SCHEMA } from '../src/fusion/metadata';
import { LABELS, MODALITIES } from '../src/shared/labels';
import { PLAIN_CE_CONFIG } from '../src/training/train-step';
import { fetchPriorsCached } from '../server/prior-batch';
import { composeAround, composeTriples, poolByLabel, rng } from './fusion/compose';
import { facePeersFiles } from './fusion/corpus';
import { loadRecords, loadTextBranch, toItems, trainingItems } from './fusion/dataset';
import { faceLeaveCorpusOut } from './fusion/face-cross-corpus';
import { ablation, ablationOverSeeds, logisticBaselines, peerRows, predictBranch, predictComposites, type SeedMean } from './fusion/eval-parts';
import { compact, report, type TrainOptionsBase } from './fusion/evaluate';
import { useNodeBackend } from './fusion/node-tf';
import { summaryOf, toFusionPrior } from './fusion/priors';
import { evaluationRecords, readSplits } from './fusion/splits';
import { FUSION_BDCL_LOSS, FUSION_RECIPE, priorParts } from './fusion/trainer';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    split: { type: 'string', default: 'dev' },
    model: { type: 'string', default: 'public/models/fusion' },
    'train-data': { type: 'string', default: '../shared/data' },
    ablation: { type: 'boolean', default: true },
    /** Seeds per ablation arm (seed, seed+1, …); the report gives each seed and the mean ± sd. */
    'ablation-seeds': { type: 'string', default: '3' },
    'no-ablation': { type: 'boolean', default: false },
    'no-face-cross-corpus': { type: 'boolean', default: false },
    /** Skip running the pretrained peers on a new directory's images (they take ≈ 0.5 s per image). */
    'no-peers': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    out: { type: 'string', default: 'reports/eval.json' },
    cache: { type: 'string', default: '.cache/features' },
    /** Development only: use the voice clips already in the cache, extract nothing. */
    'cached-voice': { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${line}`);
await useNodeBackend('wasm');
const seed = Number(args.seed);
const splits = readSplits();
const text = await loadTextBranch();
const model = await loadFusionModel(
  { dir: args.model! },
  text ? { ...CURRENT_SCHEMA, textFeatures: text.features, textSchema: text.schema } : CURRENT_SCHEMA,
);
const meta = model.metadata;
const useText = meta.branches.text.schema !== 'text-absent' && text !== null;
log(`model ${meta.version}; text branch ${useText ? meta.branches.text.schema : 'absent'}`);

const loadOptions = { cacheDir: args.cache!, text: useText ? text : null, textPerClass: args.quick ? 60 : 400, extractFaces: true, cachedVoiceOnly: args['cached-voice'], textSplit: args.split };
// Each directory is loaded once, with the recordings outside the six classes (label −1): the retraining sections use
// the training directory's as stage 1's unlabelled data, as scripts/train.ts does; everything else takes the labelled.
const loaded = await loadRecords(args.data!, splits, { ...loadOptions, keepOutOfSet: true });
const all = loaded.filter((r) => r.label >= 0);
// The training directory's train split: what the model (and the baselines) learned from.
const sameData = resolve(args.data!) === resolve(args['train-data']!);
const trainAll = (sameData ? loaded : await loadRecords(args['train-data']!, splits, { ...loadOptions, keepOutOfSet: true })).filter((r) => r.split === 'train');
const trainRecords = trainAll.filter((r) => r.label >= 0);
const knownSplits = new Set(Object.values(splits.persons).flatMap((s) => Object.keys(s)).concat(['train', 'dev']));
const selection = evaluationRecords(all, trainRecords, args.split!, { sameData, knownSplits });
const evalRecords = selection.records;
const splitNote = sameData ? selection.note : `${resolve(args.data!)}, ${selection.note}`;
if (evalRecords.length === 0) throw new Error(`nothing to evaluate in ${args.data}: every face and voice record belongs to a person the model trained on, and no text records are outside its training part`);
log(`eval records: ${evalRecords.length} (${splitNote})`);

// Per-person calibration against each person's own data, with the model's population statistics.
const items = toItems(evalRecords, meta.calibration, meta.inputNorm);
const mainCorpora = new Set(['taiwanese', 'muxspace', 'ravdess', 'meld', 'emorynlp']);
const crossCorpus = [...new Set(items.filter((i) => i.modality === 'voice' && !mainCorpora.has(i.corpus)).map((i) => i.corpus))];
const mainItems = items.filter((i) => !crossCorpus.includes(i.corpus));

const rows: Record<string, ReturnType<typeof compact>> = {};
const facePredictions = new Map<string, number>();
for (const m of MODALITIES) {
  const own = mainItems.filter((i) => i.modality === m);
  if (!own.length) continue;
  const predicted = await predictBranch(model, own);
  if (m === 'face') own.forEach((i, k) => facePredictions.set(i.id, predicted[k]));
  rows[`${m} branch alone`] = compact(report(own.map((i) => i.label), predicted));
  for (const corpus of [...new Set(own.map((i) => i.corpus))]) {
    const idx = own.map((i, k) => (i.corpus === corpus ? k : -1)).filter((k) => k >= 0);
    rows[`${m} branch alone [${corpus}]`] = compact(report(idx.map((k) => own[k].label), idx.map((k) => predicted[k])));
  }
}

// Fused on composed triples: one per evaluated item, completed within class by the other branches' items.
const pool = poolByLabel(mainItems, (i) => i.label);
const triples = composeTriples(mainItems, pool, seed + 11);
const truth = triples.map((c) => c.label);
if (triples.length) {
  rows['fused (composed triples)'] = compact(report(truth, await predictComposites(model, triples, false)));
  for (const m of MODALITIES) {
    const idx = triples.map((c, k) => (c.parts[m] ? k : -1)).filter((k) => k >= 0);
    if (!idx.length) continue;
    const predicted = await predictBranch(model, idx.map((k) => triples[k].parts[m]!), m);
    rows[`${m} alone on the same triples`] = compact(report(idx.map((k) => truth[k]), predicted));
  }
  const priors = await fetchPriorsCached(triples.map((c) => summaryOf(priorParts(c))), { cacheDir: '.cache/priors' });
  const withPriors = triples.map((c, i) => ({ ...c, prior: toFusionPrior(priors[i]) }));
  rows['fused + local reasoner prior'] = compact(report(truth, await predictComposites(model, withPriors, true)));
  rows['local reasoner prior alone'] = compact(report(truth, priors.map((p) => LABELS.indexOf(p.label))));
  // Robustness: every full triple has one non-anchor branch swapped for another class; truth = the 2-of-3 majority.
  const conflicted = composeAround(mainItems, pool, (i) => i.label, 1, rng(seed + 13), 1).filter((c) => MODALITIES.every((m) => c.parts[m]));
  if (conflicted.length) {
    rows['fused, one branch disagrees (majority truth)'] = compact(report(conflicted.map((c) => c.label), await predictComposites(model, conflicted, false)));
  }
}
log('model rows done');

// Baselines: class-balanced logistic regression on the same features, trained on the train split.
const mainEvalRecords = evalRecords.filter((r) => !crossCorpus.includes(r.corpus));
const baselines = logisticBaselines(trainRecords, mainEvalRecords, meta.calibration, meta.inputNorm);
log('baselines done');

// Peers on the same images: the evaluated directory's own peer run (made now if it is a new directory).
const peerFiles = facePeersFiles(args.data!, args.cache!, !args['no-peers']);
const peers = peerFiles ? peerRows(mainItems, peerFiles.jsonl, peerFiles.report, facePredictions, args.split) : { note: args['no-peers'] ? 'skipped (--no-peers)' : 'no peer results: the directory has no face images, or run scripts/eval-face-peers.ts' };

// Cross-corpus speech: voice branch and baselines per corpus, each speaker calibrated on their own clips.
const cross: Record<string, unknown> = {};
for (const corpus of crossCorpus) {
  const own = items.filter((i) => i.corpus === corpus);
  const recs = evalRecords.filter((r) => r.corpus === corpus);
  cross[corpus] = {
    speakers: new Set(own.map((i) => i.person)).size,
    'voice branch alone': compact(report(own.map((i) => i.label), await predictBranch(model, own))),
    ...logisticBaselines(trainRecords.filter((r) => r.modality === 'voice'), recs, meta.calibration, meta.inputNorm),
  };
}

const table = (entries: Record<string, unknown>) => {
  console.log(`${'row'.padEnd(58)} ${'n'.padStart(5)}  wF1    mF1    acc    recall ${LABELS.map((l) => l.slice(0, 4)).join(' ')}`);
  for (const [name, v] of Object.entries(entries)) {
    const r = v as ReturnType<typeof compact>;
    if (!r || typeof r !== 'object' || !('macroF1' in r)) continue;
    console.log(
      `${name.slice(0, 58).padEnd(58)} ${String(r.n).padStart(5)}  ${r.weightedF1.toFixed(3)}  ${r.macroF1.toFixed(3)}  ${r.accuracy.toFixed(3)}  ${LABELS.map((l) => r.recall[l].toFixed(2)).join(' ')}`,
    );
  }
};
console.log(`\n== ${args.data} — ${splitNote}`);
table(rows);
console.log('\n== baselines (class-balanced logistic regression, same features)');
table(baselines);
console.log('\n== peers');
table(peers as Record<string, unknown>);
for (const [corpus, r] of Object.entries(cross)) {
  console.log(`\n== cross-corpus speech: ${corpus}`);
  table(r as Record<string, unknown>);
}

const retrainBase: TrainOptionsBase = {
  ...FUSION_RECIPE,
  dims: model.dims,
  seed,
  epochs: args.quick ? { warmup: 2, semi: 1, prior: 0 } : { warmup: 8, semi: 6, prior: 0 },
  // The evaluated model's encoder dropout (metadata.training.dropout), so the retrained arms match its recipe.
  dropout: typeof meta.training?.dropout === 'number' ? meta.training.dropout : FUSION_RECIPE.dropout,
};

// Ablation: BDCL vs plain CE, same seed, schedule and data.
let ablationResult: unknown = 'skipped (--no-ablation)';
if (args.ablation && !args['no-ablation'] && mainItems.length === 0) {
  ablationResult = 'skipped: no face/RAVDESS/text items to score in the evaluated directory';
} else if (args.ablation && !args['no-ablation']) {
  const train = trainingItems(trainAll, meta.calibration, meta.inputNorm);
  const devItems = toItems(all.filter((r) => r.split === 'dev'), meta.calibration, meta.inputNorm);
  const devTriples = composeTriples(devItems.length ? devItems : mainItems, poolByLabel(devItems.length ? devItems : mainItems, (i) => i.label), seed + 1);
  const seeds = Array.from({ length: Math.max(1, Number(args['ablation-seeds'])) }, (_, k) => seed + k);
  const arms = { bdcl: FUSION_BDCL_LOSS, 'plain-ce': PLAIN_CE_CONFIG };
  ablationResult = {
    note: `Both arms: same seeds (${seeds.join(', ')}), data, schedule (stage 1 only, shorter than the shipped model), model selection on dev triples; \`fused\` is seed ${seed}, \`mean\` over all seeds.`,
    ...(await ablationOverSeeds(seeds, (s) => ablation(train, devTriples, mainItems, triples, { ...retrainBase, seed: s }, arms, log))),
  };
}

// Face branch on a corpus it never saw (leave one face corpus out of training), next to the peers on those images.
let faceCrossCorpus: unknown = 'skipped (--no-face-cross-corpus)';
if (!args['no-face-cross-corpus'] && args.split === 'dev') {
  faceCrossCorpus = await faceLeaveCorpusOut(trainAll, all.filter((r) => r.split === 'dev'), retrainBase, FUSION_BDCL_LOSS, peerFiles?.jsonl ?? '', log);
  console.log('\n== face branch on a face corpus left out of training');
  table(faceCrossCorpus as Record<string, unknown>);
} else if (!args['no-face-cross-corpus']) {
  faceCrossCorpus = `skipped: runs on the dev split of the training data only (got --split ${args.split})`;
}

const result = {
  generatedAt: new Date().toISOString(),
  command: `npm run eval -- ${process.argv.slice(2).join(' ')}`.trim(),
  data: args.data,
  split: splitNote,
  model: { version: meta.version, dir: args.model },
  labels: LABELS,
  rows,
  baselines,
  peers,
  crossCorpus: cross,
  ablation: ablationResult,
  faceCrossCorpus,
  seconds: Math.round((Date.now() - t0) / 1000),
};
mkdirSync(dirname(args.out!), { recursive: true });
writeFileSync(args.out!, `${JSON.stringify(result, null, 1)}\n`);

if (typeof ablationResult === 'object') {
  console.log('\n== ablation: BDCL vs plain CE');
  for (const [arm, v] of Object.entries(ablationResult as Record<string, { fused?: ReturnType<typeof compact>; minority?: { classes: string[]; meanRecall: number }; mean?: SeedMean }>)) {
    if (!v?.fused) continue;
    console.log(`${arm.padEnd(10)} seed ${seed}: fused mF1 ${v.fused.macroF1.toFixed(3)} wF1 ${v.fused.weightedF1.toFixed(3)}; minority (${v.minority!.classes.join(', ')}) recall ${v.minority!.meanRecall.toFixed(3)}`);
    if (v.mean) console.log(`${''.padEnd(10)} mean of ${v.mean.seeds.length} seeds: fused mF1 ${v.mean.macroF1.toFixed(3)} ± ${v.mean.macroF1Sd.toFixed(3)}; minority recall ${v.mean.minorityRecall.toFixed(3)} ± ${v.mean.minorityRecallSd.toFixed(3)}`);
  }
}
console.log('\nconfusion (fused, rows = truth, cols = predicted, LABELS order):');
for (const row of rows['fused (composed triples)']?.confusion ?? []) console.log(`  ${row.map((v) => String(v).padStart(5)).join('')}`);
console.log(`\nwrote ${args.out} in ${result.seconds} s`);
model.dispose();
text?.model.dispose();
