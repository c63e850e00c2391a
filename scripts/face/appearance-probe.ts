/**
 * Probe: do MediaPipe blendshape features or an appearance CNN's scores transfer between face corpora?
 *
 * For each direction A → B (taiwanese → muxspace and back), a class-balanced logistic regression
 * (scripts/fusion/logreg.ts, the eval's baseline) is trained on every image of A and scored on every image of B, with
 * three feature sets: the face branch's input vector (blendshapes + AU proxies + head pose, src/face), face-api's
 * 7 expression scores (its own CNN on its own SSD crop, as log-probabilities), and both. Each set is z-scored either with
 * A's statistics or with each corpus's own (what per-person calibration can at best approximate). Only images where
 * face-api found a face take part, so every row scores the same images, next to face-api's own argmax.
 *
 * This is evidence for the model card and the issue note, not part of the app: it explains why the face branch, built
 * on blendshapes, does not beat face-api on a corpus it never saw.
 *
 *   npx tsx scripts/face/appearance-probe.ts [--faces .cache/features/faces.jsonl] [--peers .cache/features/face-peers.jsonl]
 *
 * Prints a table and writes reports/face-appearance-probe.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { InputNorm } from '../../src/fusion/fusion-model';
import { LABELS } from '../../src/shared/labels';
import { loadFaces, type BranchRecord } from '../fusion/corpus';
import { predictLogistic, trainLogistic } from '../fusion/logreg';
import { normOf, standardise } from '../fusion/prepare';
import { argmax, classificationReport } from '../lib/metrics';

const FACE_API_CLASSES = ['neutral', 'angry', 'happy', 'sad', 'fearful', 'disgusted', 'surprised'] as const;

interface PeerRow {
  peer: string;
  dataset: string;
  file: string;
  present: boolean;
  peerScores?: Record<string, number>;
  probs?: number[];
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

type FeatureSet = 'blendshapes' | 'face-api scores' | 'both';
interface Sample {
  corpus: string;
  label: number;
  face: Float32Array;
  appearance: Float32Array;
  faceApiArgmax: number;
}

function features(s: Sample, set: FeatureSet): Float32Array {
  if (set === 'blendshapes') return s.face;
  if (set === 'face-api scores') return s.appearance;
  const out = new Float32Array(s.face.length + s.appearance.length);
  out.set(s.face);
  out.set(s.appearance, s.face.length);
  return out;
}

function main(): void {
  const facesFile = arg('faces', '.cache/features/faces.jsonl');
  const peersFile = arg('peers', '.cache/features/face-peers.jsonl');
  for (const f of [facesFile, peersFile]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run scripts/extract-faces.ts and scripts/eval-face-peers.ts first`);
  }
  const faceApi = new Map<string, PeerRow>();
  for (const line of readFileSync(peersFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as PeerRow;
    if (r.peer === 'face-api' && r.present && r.peerScores && r.probs) faceApi.set(`${r.dataset}/${r.file}`, r);
  }
  const samples: Sample[] = loadFaces(facesFile)
    .filter((r: BranchRecord) => faceApi.has(r.id))
    .map((r) => {
      const p = faceApi.get(r.id)!;
      const probs = p.probs!;
      return {
        corpus: r.corpus,
        label: r.label,
        face: r.raw,
        appearance: Float32Array.from(FACE_API_CLASSES, (c) => Math.log((p.peerScores![c] ?? 0) + 1e-4)),
        faceApiArgmax: argmax(probs),
      };
    });
  const corpora = [...new Set(samples.map((s) => s.corpus))].sort();
  if (corpora.length < 2) throw new Error(`needs two face corpora with face-api rows, found ${corpora.join(', ')}`);

  const rows: Record<string, { n: number; macroF1: number; weightedF1: number }> = {};
  const put = (name: string, truth: number[], predicted: number[]) => {
    const r = classificationReport(truth, predicted, LABELS.length);
    rows[name] = { n: truth.length, macroF1: +r.macroF1.toFixed(3), weightedF1: +r.weightedF1.toFixed(3) };
  };
  for (const source of corpora) {
    for (const target of corpora) {
      if (source === target) continue;
      const train = samples.filter((s) => s.corpus === source);
      const test = samples.filter((s) => s.corpus === target);
      const truth = test.map((s) => s.label);
      put(`face-api alone [${target}]`, truth, test.map((s) => s.faceApiArgmax));
      for (const set of ['blendshapes', 'face-api scores', 'both'] as FeatureSet[]) {
        const xTrain = train.map((s) => features(s, set));
        const xTest = test.map((s) => features(s, set));
        const zTrain = normOf(xTrain, xTrain[0].length);
        const model = trainLogistic(xTrain.map((x) => standardise(x, zTrain)), train.map((s) => s.label), LABELS.length, { iterations: 300 });
        const score = (norm: InputNorm) => xTest.map((x) => predictLogistic(model, standardise(x, norm)));
        put(`LR on ${set}, ${source} → ${target}, source z-score`, truth, score(zTrain));
        put(`LR on ${set}, ${source} → ${target}, target's own z-score`, truth, score(normOf(xTest, xTest[0].length)));
      }
    }
  }
  const width = Math.max(...Object.keys(rows).map((k) => k.length));
  console.log(`${'row'.padEnd(width)}      n  macro-F1  weighted-F1`);
  for (const [name, r] of Object.entries(rows)) {
    console.log(`${name.padEnd(width)}  ${String(r.n).padStart(5)}  ${r.macroF1.toFixed(3).padStart(8)}  ${r.weightedF1.toFixed(3).padStart(11)}`);
  }
  mkdirSync('reports', { recursive: true });
  writeFileSync(
    'reports/face-appearance-probe.json',
    JSON.stringify({ generated: new Date().toISOString(), command: 'npx tsx scripts/face/appearance-probe.ts', facesFile, peersFile, rows }, null, 2) + '\n',
  );
  console.log('wrote reports/face-appearance-probe.json');
}

main();
