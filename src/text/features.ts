/**
 * Hashed n-gram features, fastText-style (Joulin et al. 2017, "Bag of Tricks for Efficient Text Classification"):
 * word unigrams + bigrams, character 3–5-grams of each word (with < > boundary marks) and flag features, each
 * hashed (FNV-1a 32-bit) into a fixed number of buckets. Feature groups are L2-normalised separately and scaled,
 * so long utterances do not dominate and the char-gram group does not drown the word group.
 * An optional previous utterance (dialogue context) uses its own namespace ("p:") and group.
 */
import { tokenizeUtterance, type TokenizedUtterance } from './tokenize';

export interface HashSettings {
  /** Number of hash buckets (rows of the embedding table). */
  buckets: number;
  /** Char n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Group scales: word uni/bigrams, char n-grams, flags, previous-utterance context. */
  wordScale: number;
  charScale: number;
  flagScale: number;
  contextScale: number;
  /** Longest word n-gram (default 2: unigrams + bigrams); 3 adds trigrams. */
  wordMaxN?: number;
}

export const DEFAULT_HASH_SETTINGS: HashSettings = {
  buckets: 1 << 15,
  charMin: 3,
  charMax: 5,
  wordScale: 1,
  charScale: 0.7,
  flagScale: 0.5,
  contextScale: 0.35,
};

/** FNV-1a over UTF-16 code units (Fowler–Noll–Vo), 32-bit. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A sparse, weighted bag of hash buckets for one utterance. */
export interface FeatureBag {
  ids: Int32Array;
  weights: Float32Array;
  /** The tokenization, for coverage and debugging. */
  tokenized: TokenizedUtterance;
}

function charGrams(word: string, min: number, max: number, out: string[]): void {
  const padded = `<${word}>`;
  // Code points, not UTF-16 units, so astral characters are never split (plain slicing when there are none).
  const chars = /[\ud800-\udfff]/.test(padded) ? Array.from(padded) : null;
  const length = chars ? chars.length : padded.length;
  if (length > 24) return; // long "words" (URLs, noise) add only noise
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= length; i++) out.push(`c:${chars ? chars.slice(i, i + n).join('') : padded.slice(i, i + n)}`);
  }
}

function addGroup(features: string[], scale: number, settings: HashSettings, ids: number[], weights: number[]): void {
  if (features.length === 0 || scale === 0) return;
  const counts = new Map<number, number>();
  for (const f of features) {
    const id = fnv1a(f) % settings.buckets;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  let norm = 0;
  for (const c of counts.values()) norm += c * c;
  const k = scale / Math.sqrt(norm);
  for (const [id, c] of counts) {
    ids.push(id);
    weights.push(c * k);
  }
}

function wordFeatures(t: TokenizedUtterance, prefix: string, maxN = 2): string[] {
  const out = t.tokens.map((w) => `${prefix}w:${w}`);
  const seq = ['<s>', ...t.tokens, '</s>'];
  for (let i = 0; i + 1 < seq.length; i++) out.push(`${prefix}b:${seq[i]}_${seq[i + 1]}`);
  if (maxN >= 3) for (let i = 0; i + 2 < seq.length; i++) out.push(`${prefix}t:${seq[i]}_${seq[i + 1]}_${seq[i + 2]}`);
  return out;
}

/** Features of one utterance, optionally with the previous utterance as context. */
export function featurize(text: string, settings: HashSettings = DEFAULT_HASH_SETTINGS, previous?: string): FeatureBag {
  const tokenized = tokenizeUtterance(text);
  const ids: number[] = [];
  const weights: number[] = [];
  addGroup(wordFeatures(tokenized, '', settings.wordMaxN), settings.wordScale, settings, ids, weights);
  const chars: string[] = [];
  for (const w of tokenized.words) charGrams(w, settings.charMin, settings.charMax, chars);
  addGroup(chars, settings.charScale, settings, ids, weights);
  addGroup(tokenized.flags.map((f) => `f:${f}`), settings.flagScale, settings, ids, weights);
  if (previous) {
    const context = tokenizeUtterance(previous);
    addGroup([...context.tokens.map((w) => `p:w:${w}`), ...context.flags.map((f) => `p:f:${f}`)], settings.contextScale, settings, ids, weights);
  }
  return { ids: Int32Array.from(ids), weights: Float32Array.from(weights), tokenized };
}

/**
 * Fraction of the utterance's words found in the training vocabulary (0 when it has no words at all:
 * emoji-only, digits, binary). Drives the confidence and the temperature toward uniform in model.ts.
 */
export function vocabularyCoverage(tokenized: TokenizedUtterance, vocabulary: ReadonlySet<string>): number {
  if (tokenized.words.length === 0) return 0;
  let known = 0;
  for (const w of tokenized.words) if (vocabulary.has(w)) known++;
  return known / tokenized.words.length;
}
