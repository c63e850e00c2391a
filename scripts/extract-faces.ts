/**
 * Face feature cache for fusion training: runs the app's FaceLandmarker (src/face/landmarker.ts, IMAGE mode) in
 * headless Chromium over every Taiwanese and muxspace image and writes one JSON line per image.
 *
 * Usage: npx tsx scripts/extract-faces.ts [--data ../shared/data] [--limit N] [--out .cache/features]
 *        [--framings canvas512,raw]   tried in order per image; the first that finds a face is kept
 *        (measured on 200 images: raw finds 96 % of muxspace faces, canvas384/canvas512 100 %; Taiwanese 100 % all)
 *
 * Output: <out>/faces.jsonl and <out>/faces.summary.json (counts per dataset/label, detection rates per framing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, openPage, serveDirectory, startViteServer } from './lib/browser';
import { readFaceDatasets, spreadSample, type FaceImageRecord } from './face/datasets';
import type { ExtractedFace, FramingOptions } from './face/extract';

/** Named framings. canvas512: image scaled to 256 px in the middle of a 512 px grey canvas (25 % margin a side). */
const FRAMINGS: Record<string, FramingOptions> = {
  raw: { canvasSize: 0, margin: 0 },
  canvas384: { canvasSize: 384, margin: 0.15 },
  canvas512: { canvasSize: 512, margin: 0.25 },
};

export interface FaceFeatureRow extends FaceImageRecord {
  present: boolean;
  /** Framing whose result is stored (first in the list that found a face; the first one when none did). */
  framing: string;
  /** 52 blendshape scores (BLENDSHAPE_NAMES order), 17 AU proxies (AU_NAMES order); empty when no face. */
  blendshapes: number[];
  aus: number[];
  pose: { yaw: number; pitch: number; roll: number };
  /** Per framing: whether a face was found (for detection-rate reporting). */
  foundBy: Record<string, boolean>;
  ms: number;
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;

function summarise(rows: FaceFeatureRow[], framingNames: string[], wallMs: number) {
  const byDataset: Record<string, unknown> = {};
  for (const dataset of [...new Set(rows.map((r) => r.dataset))]) {
    const sub = rows.filter((r) => r.dataset === dataset);
    const labels: Record<string, { images: number; faces: number }> = {};
    for (const r of sub) {
      labels[r.label] ??= { images: 0, faces: 0 };
      labels[r.label].images++;
      if (r.present) labels[r.label].faces++;
    }
    const rate = (pred: (r: FaceFeatureRow) => boolean) => round(sub.filter(pred).length / sub.length);
    byDataset[dataset] = {
      images: sub.length,
      facesFound: sub.filter((r) => r.present).length,
      detectionRate: rate((r) => r.present),
      detectionRateByFraming: Object.fromEntries(framingNames.map((f) => [f, rate((r) => r.foundBy[f])])),
      excluded: sub.filter((r) => r.excluded).length,
      labels,
      landmarkerMsPerImage: round(sub.reduce((s, r) => s + r.ms, 0) / sub.length),
    };
  }
  return { images: rows.length, framings: framingNames, wallMsPerImage: round(wallMs / rows.length), byDataset };
}

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/data' },
      limit: { type: 'string', default: '0' },
      out: { type: 'string', default: '.cache/features' },
      framings: { type: 'string', default: 'canvas512,raw' },
      batch: { type: 'string', default: '48' },
    },
  });
  const dataRoot = resolve(values.data);
  const outDir = resolve(values.out);
  const framingNames = values.framings.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of framingNames) if (!FRAMINGS[f]) throw new Error(`unknown framing "${f}" (known: ${Object.keys(FRAMINGS).join(', ')})`);
  const framings = framingNames.map((f) => FRAMINGS[f]);
  const records = spreadSample(readFaceDatasets(dataRoot), Number(values.limit));
  const batchSize = Math.max(1, Number(values.batch));
  if (!records.length) throw new Error(`extract-faces: no images under ${dataRoot}/faces/{taiwanese,muxspace}/images`);

  const server = await startViteServer({ optimizeEntries: ['scripts/face/extract.html'] });
  const browser = await launchChromium();
  const rows: FaceFeatureRow[] = [];
  try {
    const page = await openPage(browser, `${server.url}/scripts/face/extract.html`, 'extract');
    await serveDirectory(page, server.url, '/__data/', dataRoot);
    await page.waitForFunction(() => 'faceExtraction' in window, null, { timeout: 60_000 });
    await page.evaluate(() => window.faceExtraction.init());
    const t0 = Date.now();
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize);
      const urls = batch.map((r) => `${server.url}/__data/${r.path}`);
      const results: ExtractedFace[][] = await page.evaluate(([u, f]) => window.faceExtraction.analyseBatch(u, f), [urls, framings] as const);
      batch.forEach((record, j) => {
        const perFraming = results[j];
        const chosen = Math.max(0, perFraming.findIndex((r) => r.present));
        const face = perFraming[chosen];
        if (face.error) process.stderr.write(`${record.path}: ${face.error}\n`);
        rows.push({
          ...record,
          present: face.present,
          framing: framingNames[chosen],
          blendshapes: face.blendshapes.map(round),
          aus: face.aus.map(round),
          pose: { yaw: round(face.pose[0]), pitch: round(face.pose[1]), roll: round(face.pose[2]) },
          foundBy: Object.fromEntries(framingNames.map((f, k) => [f, perFraming[k].present])),
          ms: round(perFraming.slice(0, chosen + 1).reduce((s, r) => s + r.ms, 0)),
        });
      });
      const done = Math.min(i + batchSize, records.length);
      process.stderr.write(`\r${done}/${records.length} images, ${((Date.now() - t0) / done).toFixed(1)} ms/image`);
    }
    process.stderr.write('\n');
    const summary = summarise(rows, framingNames, Date.now() - t0);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(resolve(outDir, 'faces.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(resolve(outDir, 'faces.summary.json'), JSON.stringify(summary, null, 2) + '\n');
    console.log(JSON.stringify(summary, null, 2));
    console.log(`wrote ${rows.length} rows to ${resolve(outDir, 'faces.jsonl')}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

if (process.argv[1]?.endsWith('extract-faces.ts')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
