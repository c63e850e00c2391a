/**
 * Trains the fusion model and writes public/models/fusion/ (weights.bin, metadata.json, MODEL_CARD.md).
 *
 * Usage: npm run train -- [--data ../shared/data] [--quick] [--seed 7] [--out public/models/fusion]
 *                         [--prior-url http://127.0.0.1:8787/api/prior] [--plain-ce] [--lr 3e-3] [--pair-probability 0.6]
 *                         [--conflict-probability 0.5] [--unlabelled out-of-set|held-back|none] [--dropout 0.5] [--no-weight-average] [--card-only]
 * Features come from the app's own extractors (face cache from scripts/extract-faces.ts, voice through
 * src/voice/extract.ts, text through the text model); splits are person-independent (scripts/splits.json).
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FACE_FEATURES, FACE_SCHEMA_VERSION, VOICE_FEATURES, VOICE_SCHEMA_VERSION } from '../src/fusion/features';
import { serializeFusionModel } from '../src/fusion/load';
import { FUSION_FORMAT, FUSION_FORMAT_VERSION, type FusionMetadata } from '../src/fusion/metadata';
import { DEFAULT_FUSION_CONFIG } from '../src/fusion/model';
import { LABELS, MODALITIES, type Modality } from '../src/shared/labels';
import { PLAIN_CE_CONFIG } from '../src/training/train-step';
import { fetchPriorsCached } from '../server/prior-batch';
import { composeAround, composeTriples, poolByLabel, rng, type Composite, type Item } from './fusion/compose';
import { countByModality, loadRecords, loadTextBranch, lowAgreement, toItems, trainingItems, type SplitRecord } from './fusion/dataset';
import { writeModelCard } from './fusion/model-card';
import { useNodeBackend } from './fusion/node-tf';
import { calibrate, calibrationScheme, inputNorm } from './fusion/prepare';
import { summaryOf, toFusionPrior } from './fusion/priors';
import { heldBackPersons, readSplits } from './fusion/splits';
import { evaluateFused, type TrainOptionsBase } from './fusion/evaluate';
import { FUSION_BDCL_LOSS, FUSION_RECIPE, priorParts, trainFusion } from './fusion/trainer';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    out: { type: 'string', default: 'public/models/fusion' },
    'prior-url': { type: 'string' },
    'plain-ce': { type: 'boolean', default: false },
    lr: { type: 'string', default: String(FUSION_RECIPE.learningRate) },
    'pair-probability': { type: 'string', default: String(FUSION_RECIPE.pairProbability) },
    'conflict-probability': { type: 'string', default: String(FUSION_RECIPE.conflictProbability) },
    /**
     * Stage 1's unlabelled data: `out-of-set` (recordings outside the six classes and low-agreement images),
     * `held-back` (labels of every 4th train person hidden) or `none`.
     */
    unlabelled: { type: 'string', default: 'out-of-set' },
    cache: { type: 'string', default: '.cache/features' },
    /** Encoder dropout (FUSION_RECIPE in scripts/fusion/trainer.ts says why 0.5). */
    dropout: { type: 'string', default: String(FUSION_RECIPE.dropout) },
    /** Consider the average of the stage-2 epoch weights (SWA) as the shipped snapshot. */
    'no-weight-average': { type: 'boolean', default: false },
    /** Only rewrite MODEL_CARD.md of the model in --out (from its metadata.json and reports/eval.json). */
    'card-only': { type: 'boolean', default: false },
    /** Development only: use the voice clips already in the cache, extract nothing. */
    'cached-voice': { type: 'boolean', default: false },
  },
});

const t0 = Date.now();
const seconds = () => ((Date.now() - t0) / 1000).toFixed(1);
const log = (line: string) => console.log(`[${seconds()} s] ${line}`);

if (!['out-of-set', 'held-back', 'none'].includes(args['unlabelled']!)) throw new Error(`--unlabelled must be out-of-set, held-back or none (got ${args['unlabelled']})`);
await useNodeBackend('wasm');
const seed = Number(args.seed);
const splits = readSplits();
const text = await loadTextBranch();
log(text ? `text model: ${text.schema}` : 'text model: not found in public/models/text — text branch untrained');
const records = await loadRecords(args.data!, splits, {
  cacheDir: args.cache!,
  text,
  textPerClass: args.quick ? 60 : 400,
  // A fresh clone has no face cache: extract it (scripts/extract-faces.ts, ≈ 5–9 min once) rather than train without faces.
  extractFaces: true,
  cachedVoiceOnly: args['cached-voice'],
  keepOutOfSet: args['unlabelled'] === 'out-of-set',
});
// Stage 1's unlabelled data (scripts/fusion/dataset.ts trainingItems): face and voice recordings outside the six
// classes and the low-agreement Taiwanese images. `--unlabelled held-back` instead hides the labels of every 4th
// train person (the earlier recipe; it costs the branches a quarter of their labelled people).
const trainAll = records.filter((r) => r.split === 'train');
const trainRecords = trainAll.filter((r) => r.label >= 0 && !lowAgreement(r));
const devRecords = records.filter((r) => r.split === 'dev' && r.label >= 0);
log(`records: ${records.length} (train ${trainRecords.length} labelled + ${trainAll.length - trainRecords.length} unlabelled, dev ${devRecords.length})`);

if (args['card-only']) {
  // Rewrites MODEL_CARD.md for the model already in --out (after `npm run eval` refreshed reports/eval.json).
  const existing = JSON.parse(readFileSync(join(args.out!, 'metadata.json'), 'utf8')) as FusionMetadata;
  writeModelCard(join(args.out!, 'MODEL_CARD.md'), existing, records);
  log(`wrote ${join(args.out!, 'MODEL_CARD.md')} for ${existing.version}`);
  text?.model.dispose();
  process.exit(0);
}

const dims: Record<Modality, number> = { face: FACE_FEATURES.length, voice: VOICE_FEATURES.length, text: text ? text.features.length : LABELS.length };
const scheme = calibrationScheme(trainRecords);
const trainCal = calibrate(trainRecords, scheme);
const norm = inputNorm(trainRecords, trainCal, dims);
const train = trainingItems(trainAll, scheme, norm);
const dev = toItems(devRecords, scheme, norm);
const heldBack = args['unlabelled'] === 'held-back' ? heldBackPersons(trainRecords, splits) : new Set<string>();
for (const item of train) if (heldBack.has(item.person)) item.trainLabel = -1;
log(`train per class: ${JSON.stringify(countByModality(train.filter((i) => i.trainLabel >= 0)))}; unlabelled: ${train.filter((i) => i.trainLabel < 0).length} items (labels held back for ${heldBack.size} persons)`);

// Dev triples for model selection: one per dev item (subsampled in --quick), completed within class.
const devPool = poolByLabel(dev, (i) => i.label);
const devAnchors = args.quick ? dev.filter((_, i) => i % 4 === 0) : dev;
const devTriples = composeTriples(devAnchors, devPool, seed + 1);

// Stage-2 prior set: composites of the labelled train items, priors via the batch client (disk-cached).
const random = rng(seed + 2);
const labelled = train.filter((i) => i.trainLabel >= 0);
const priorBase = composeAround(labelled, poolByLabel(labelled, (i) => i.trainLabel), (i) => i.trainLabel, 0.7, random);
const priorList = await fetchPriorsCached(priorBase.map((c) => summaryOf(priorParts(c))), { cacheDir: '.cache/priors', url: args['prior-url'] });
const priorComposites: Composite[] = priorBase.map((c, i) => ({ ...c, prior: toFusionPrior(priorList[i]) }));
log(`stage-2 priors: ${priorComposites.length} (${args['prior-url'] ? 'proxy' : 'local reasoner'})`);

const base: TrainOptionsBase = {
  dims,
  seed,
  batchSize: FUSION_RECIPE.batchSize,
  learningRate: Number(args.lr),
  pairProbability: Number(args['pair-probability']),
  conflictProbability: Number(args['conflict-probability']),
  epochs: args.quick ? { warmup: 3, semi: 2, prior: 1 } : { warmup: 10, semi: 10, prior: 5 },
};
const loss = args['plain-ce'] ? PLAIN_CE_CONFIG : FUSION_BDCL_LOSS;
const result = await trainFusion(train, devTriples, { ...base, loss, priorComposites, log, averageStage2: !args['no-weight-average'], dropout: Number(args.dropout) });
log(`best epoch ${result.bestEpoch}`);

const metrics = evaluateFused(result.net, dev, devTriples);
log(`dev: fused macro-F1 ${metrics.fused.macroF1.toFixed(4)}, weighted F1 ${metrics.fused.weightedF1.toFixed(4)}; branches ${MODALITIES.map((m) => `${m} ${metrics.branches[m]?.macroF1.toFixed(4) ?? '—'}`).join(', ')}`);

const metadata: Omit<FusionMetadata, 'weights'> = {
  format: FUSION_FORMAT,
  formatVersion: FUSION_FORMAT_VERSION,
  version: `fusion-1+${new Date().toISOString().slice(0, 10)}`,
  labels: [...LABELS],
  d: DEFAULT_FUSION_CONFIG.d,
  hidden: DEFAULT_FUSION_CONFIG.hidden,
  branches: {
    face: { features: [...FACE_FEATURES], schema: FACE_SCHEMA_VERSION },
    voice: { features: [...VOICE_FEATURES], schema: VOICE_SCHEMA_VERSION },
    text: text ? { features: text.features, schema: text.schema } : { features: LABELS.map((l) => `score.${l}`), schema: 'text-absent' },
  },
  calibration: scheme,
  inputNorm: norm,
  affectTargets: 'class-anchors',
  metrics: { dev: metrics.summary },
  training: {
    seed,
    quick: args.quick,
    loss,
    schedule: base.epochs,
    pairProbability: base.pairProbability,
    conflictProbability: base.conflictProbability,
    bestEpoch: result.bestEpoch,
    pseudoLabels: result.pseudoLabels,
    history: result.history,
    counts: { train: countByModality(train), dev: countByModality(dev) },
    priorSource: args['prior-url'] ? 'proxy' : 'local-reasoner',
    unlabelled: args['unlabelled'],
    weightAverage: !args['no-weight-average'],
    dropout: Number(args.dropout),
    seconds: Number(seconds()),
  },
};
const { metadata: full, weights } = await serializeFusionModel(result.net, metadata);
mkdirSync(args.out!, { recursive: true });
writeFileSync(join(args.out!, full.weights.file), new Uint8Array(weights));
writeFileSync(join(args.out!, 'metadata.json'), `${JSON.stringify(full)}\n`);
writeModelCard(join(args.out!, 'MODEL_CARD.md'), full, records as SplitRecord[]);
log(`wrote ${args.out} (weights ${(weights.byteLength / 1024).toFixed(1)} KiB, metadata ${(JSON.stringify(full).length / 1024).toFixed(1)} KiB)`);
result.net.dispose();
text?.model.dispose();
log(`numTensors at exit ${tf.memory().numTensors}`);
export type { Item };
