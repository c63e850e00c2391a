/**
 * Pretrained peer face-expression classifiers on the same images as our face cache, mapped to our six classes:
 * (a) @vladmandic/face-api 1.7.15 (SSD MobileNet v1 + faceExpressionNet), (b) @vladmandic/human 3.3.6
 * (BlazeFace + FaceMesh crop + emotion). Models are copied from node_modules to .cache/peer-models at run time and
 * served to headless Chromium locally (no CDN). Peers are pretrained elsewhere, so every image is unseen for them:
 * their scores are subject-independent by construction.
 *
 * Usage: npx tsx scripts/eval-face-peers.ts [--data ../shared/data] [--limit N] [--max-per-dataset N] [--peers face-api,human]
 *        [--backend wasm|webgl|cpu] [--out .cache/features] [--report reports/face-peers.json]
 * Output: <out>/face-peers.jsonl (per image and peer: raw peer scores + our 6-class probabilities) and the report.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LABELS, type Label } from '../src/shared/labels';
import { forwardPageErrors, launchChromium, PROJECT_ROOT, serveDirectory, startViteServer } from './lib/browser';
import { argmax, classificationReport } from './lib/metrics';
import { isBaseLabel, readFaceDatasets, spreadSample, type FaceImageRecord } from './face/datasets';
import type { FramingOptions } from './face/extract';
import type { PeerResult } from './face/peers';
import { peerScoresToLabels } from './face/peer-labels';

/** Model files each peer needs, relative to its package's model folder. */
const PEER_MODELS: Record<string, { dir: string; files: string[] }> = {
  'face-api': {
    dir: 'node_modules/@vladmandic/face-api/model',
    files: ['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin', 'face_expression_model-weights_manifest.json', 'face_expression_model.bin'],
  },
  human: {
    dir: 'node_modules/@vladmandic/human/models',
    files: ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin', 'emotion.json', 'emotion.bin'],
  },
};

/** tfjs-backend-wasm 4.22 binaries for the 'wasm' backend (both peers bundle tfjs 4.22.0). */
const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

const FRAMINGS: Record<string, FramingOptions> = {
  raw: { canvasSize: 0, margin: 0 },
  canvas512: { canvasSize: 512, margin: 0.25 },
};

interface PeerRow {
  peer: string;
  dataset: string;
  file: string;
  subject: string;
  label: Label;
  present: boolean;
  framing: string | null;
  peerScores: Record<string, number> | null;
  /** LABELS order; null when the peer found no face. */
  probs: number[] | null;
  ms: number;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

function score(rows: PeerRow[]) {
  const truth = rows.map((r) => LABELS.indexOf(r.label));
  const detected = rows.filter((r) => r.probs);
  const onDetected = classificationReport(detected.map((r) => LABELS.indexOf(r.label)), detected.map((r) => argmax(r.probs!)), LABELS.length);
  // No face → the peer says nothing; counted as 'neutral', the usual UI fallback.
  const onAll = classificationReport(truth, rows.map((r) => (r.probs ? argmax(r.probs) : 0)), LABELS.length);
  const brief = (m: typeof onAll) => ({ n: m.n, macroF1: round(m.macroF1), weightedF1: round(m.weightedF1), accuracy: round(m.accuracy), uar: round(m.uar) });
  return {
    images: rows.length,
    detectionRate: round(detected.length / Math.max(1, rows.length)),
    msPerImage: round(rows.reduce((s, r) => s + r.ms, 0) / Math.max(1, rows.length)),
    detected: { ...brief(onDetected), perClassF1: Object.fromEntries(LABELS.map((l, i) => [l, round(onDetected.perClass[i].f1)])), confusion: onDetected.confusion },
    allImagesNoFaceAsNeutral: brief(onAll),
  };
}

async function runPeer(peer: string, records: FaceImageRecord[], dataRoot: string, framingNames: string[], backend: string, batchSize: number) {
  const modelDir = resolve(PROJECT_ROOT, '.cache/peer-models', peer);
  mkdirSync(modelDir, { recursive: true });
  for (const file of PEER_MODELS[peer].files) copyFileSync(resolve(PROJECT_ROOT, PEER_MODELS[peer].dir, file), resolve(modelDir, file));
  for (const file of TFJS_WASM_FILES) copyFileSync(resolve(PROJECT_ROOT, 'node_modules/@tensorflow/tfjs-backend-wasm/dist', file), resolve(modelDir, file));

  const server = await startViteServer({ optimizeEntries: ['scripts/face/peers.html'] });
  const browser = await launchChromium();
  const rows: PeerRow[] = [];
  try {
    const page = await browser.newPage();
    forwardPageErrors(page, peer);
    await serveDirectory(page, server.url, '/__data/', dataRoot);
    await serveDirectory(page, server.url, '/__peer-models/', modelDir);
    await page.goto(`${server.url}/scripts/face/peers.html?peer=${peer}&backend=${backend}&models=/__peer-models/`);
    await page.waitForFunction(() => 'facePeer' in window, null, { timeout: 120_000 });
    const actualBackend = await page.evaluate(() => window.facePeer.init());
    process.stderr.write(`${peer}: backend ${actualBackend}\n`);
    const framings = framingNames.map((f) => FRAMINGS[f]);
    const t0 = Date.now();
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize);
      const urls = batch.map((r) => `${server.url}/__data/${r.path}`);
      const results: PeerResult[] = await page.evaluate(([u, f]) => window.facePeer.classifyBatch(u, f), [urls, framings] as const);
      batch.forEach((record, j) => {
        const result = results[j];
        if (result.error) process.stderr.write(`${peer} ${record.path}: ${result.error}\n`);
        rows.push({
          peer,
          dataset: record.dataset,
          file: record.file,
          subject: record.subject,
          label: record.label as Label,
          present: !!result.scores,
          framing: result.scores ? framingNames[result.framing] : null,
          peerScores: result.scores,
          probs: result.scores ? peerScoresToLabels(result.scores).map(round) : null,
          ms: round(result.ms),
        });
      });
      const done = Math.min(i + batchSize, records.length);
      process.stderr.write(`\r${peer}: ${done}/${records.length} images, ${((Date.now() - t0) / done).toFixed(0)} ms/image`);
    }
    process.stderr.write('\n');
    return { backend: actualBackend, rows };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      limit: { type: 'string', default: '0' },
      'max-per-dataset': { type: 'string', default: '0' },
      peers: { type: 'string', default: 'face-api,human' },
      backend: { type: 'string', default: 'wasm' },
      framings: { type: 'string', default: 'raw,canvas512' },
      out: { type: 'string', default: '.cache/features' },
      report: { type: 'string', default: 'reports/face-peers.json' },
      batch: { type: 'string', default: '32' },
    },
  });
  const dataRoot = resolve(values.data);
  const peers = values.peers.split(',').filter(Boolean);
  for (const p of peers) if (!PEER_MODELS[p]) throw new Error(`unknown peer "${p}" (known: ${Object.keys(PEER_MODELS).join(', ')})`);
  const framingNames = values.framings.split(',').filter(Boolean);
  const evaluable = readFaceDatasets(dataRoot).filter((r) => isBaseLabel(r.label));
  // Evenly spaced subsample of each dataset (file-name order), so label proportions are kept.
  const cap = Number(values['max-per-dataset']);
  const capped = cap > 0
    ? [...new Set(evaluable.map((r) => r.dataset))].flatMap((d) => spreadSample(evaluable.filter((r) => r.dataset === d), cap))
    : evaluable;
  const records = spreadSample(capped, Number(values.limit));

  const allRows: PeerRow[] = [];
  const report: Record<string, unknown> = {
    generated: new Date().toISOString(),
    command: `npx tsx scripts/eval-face-peers.ts ${process.argv.slice(2).join(' ')}`.trim(),
    labels: LABELS,
    note: 'Pretrained peers: every image is unseen by them, so these scores are subject-independent by construction. '
      + 'Only images whose true label is one of the six classes are evaluated; peer disgust probability is dropped and the '
      + 'rest renormalised (fear→worried, surprised→surprise). "detected" scores images where the peer found a face; '
      + '"allImagesNoFaceAsNeutral" counts a miss as a neutral prediction.',
    framings: framingNames,
    peers: {} as Record<string, unknown>,
  };
  for (const peer of peers) {
    const { backend, rows } = await runPeer(peer, records, dataRoot, framingNames, values.backend, Math.max(1, Number(values.batch)));
    allRows.push(...rows);
    const byDataset = Object.fromEntries([...new Set(rows.map((r) => r.dataset))].map((d) => [d, score(rows.filter((r) => r.dataset === d))]));
    (report.peers as Record<string, unknown>)[peer] = { backend, byDataset };
    for (const [dataset, s] of Object.entries(byDataset)) {
      const d = s.detected;
      console.log(`${peer.padEnd(9)} ${dataset.padEnd(10)} n=${s.images} faces=${(s.detectionRate * 100).toFixed(1)}% macroF1=${d.macroF1.toFixed(3)} weightedF1=${d.weightedF1.toFixed(3)} acc=${d.accuracy.toFixed(3)} ${s.msPerImage.toFixed(0)} ms/img`);
    }
  }
  // Peers not re-run this time keep their earlier rows and report entries (so peers can be run separately).
  const outFile = resolve(values.out, 'face-peers.jsonl');
  const keptRows = existsSync(outFile)
    ? readFileSync(outFile, 'utf8').split('\n').filter((l) => l.trim() && !peers.includes((JSON.parse(l) as PeerRow).peer))
    : [];
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, [...keptRows, ...allRows.map((r) => JSON.stringify(r))].join('\n') + '\n');
  const reportFile = resolve(values.report);
  if (existsSync(reportFile)) {
    const previous = JSON.parse(readFileSync(reportFile, 'utf8')) as { peers?: Record<string, unknown> };
    for (const [name, entry] of Object.entries(previous.peers ?? {})) {
      if (!peers.includes(name)) (report.peers as Record<string, unknown>)[name] = entry;
    }
  }
  mkdirSync(dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${allRows.length} rows to ${outFile} and ${resolve(values.report)}`);
}

if (process.argv[1]?.endsWith('eval-face-peers.ts')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
