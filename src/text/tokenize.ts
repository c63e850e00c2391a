/**
 * Utterance tokenizer with negation-scope and intensifier marking, plus punctuation/shape cues.
 * Pure and bounded: input is cut to MAX_INPUT_CHARS before any work, so any string (binary, 10 MB, RTL, emoji)
 * returns in bounded time and never throws.
 */

/** Longer input is truncated: a subtitle cue or utterance is far shorter. */
export const MAX_INPUT_CHARS = 2000;
/** At most this many tokens are kept per utterance. */
export const MAX_TOKENS = 200;

/**
 * Negation cues. Following Das & Chen (2001) and Pang et al. (2002), every word after a negation cue up to the next
 * clause punctuation is prefixed NOT_, so "not happy" and "happy" are different features.
 */
const NEGATORS = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'nowhere', 'cannot', 'without', 'hardly', 'barely',
  'aint', "ain't", 'dont', 'cant', 'wont', 'isnt', 'wasnt', 'arent', 'didnt', 'doesnt', 'couldnt', 'wouldnt', 'shouldnt',
  'havent', 'hasnt', 'hadnt', 'werent',
]);

/** Degree adverbs ("so angry", "really sad"): the next word also gets an INT_ feature. */
const INTENSIFIERS = new Set([
  'so', 'very', 'really', 'extremely', 'totally', 'too', 'such', 'absolutely', 'completely', 'incredibly', 'super',
  'utterly', 'terribly', 'awfully', 'seriously', 'truly', 'damn', 'freaking', 'fucking', 'frickin', 'soo', 'sooo',
  'insanely', 'unbelievably', 'most', 'deeply', 'highly',
]);

/** Clause punctuation ends a negation scope. */
const SCOPE_END = /^[.,;:!?]|^\.\.+$/;

// Word (letters/marks/digits with inner apostrophes), ellipsis, runs of !/?, single clause punctuation, emoji.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*|\.{2,}|…|[!?]+|[.,;:]|\p{Extended_Pictographic}/gu;

export interface TokenizedUtterance {
  /** Lower-cased tokens with NOT_ marks applied; punctuation and emoji kept as tokens. */
  tokens: string[];
  /** Plain lower-cased word tokens (letters only, no marks), for vocabulary coverage. */
  words: string[];
  /** Extra features: INT_<word>, and shape cues (flag:*). */
  flags: string[];
}

function isWord(token: string): boolean {
  return /^[\p{L}\p{M}]/u.test(token);
}

/**
 * Tokenizes one utterance.
 * @example tokenizeUtterance("I'm not happy, I'm SO angry!!").tokens
 *   // → ["i'm", 'not', 'NOT_happy', ',', "i'm", 'so', 'angry', '!!']   (flags include 'INT_angry', 'flag:caps', 'flag:excl2')
 */
export function tokenizeUtterance(input: string): TokenizedUtterance {
  const raw = (typeof input === 'string' ? input : '').slice(0, MAX_INPUT_CHARS).normalize('NFKC');
  const matches = raw.match(TOKEN) ?? [];
  const tokens: string[] = [];
  const words: string[] = [];
  const flags: string[] = [];
  let negated = false;
  let intensify = false;
  let capsWords = 0;
  for (const original of matches.slice(0, MAX_TOKENS)) {
    const lower = original.toLowerCase().replace(/’/g, "'");
    if (SCOPE_END.test(lower) || lower === '…') {
      negated = false;
      intensify = false;
      tokens.push(lower === '…' ? '...' : lower.length > 3 ? lower.slice(0, 3) : lower);
      continue;
    }
    if (!isWord(lower)) {
      tokens.push(lower);
      continue;
    }
    words.push(lower);
    if (original.length >= 2 && original === original.toUpperCase() && original !== original.toLowerCase()) capsWords++;
    const token = negated ? `NOT_${lower}` : lower;
    tokens.push(token);
    const negator = NEGATORS.has(lower) || lower.endsWith("n't");
    // "so not happy": the intensifier carries over the negator to the content word.
    if (intensify && !INTENSIFIERS.has(lower) && !negator) {
      flags.push(`INT_${token}`);
      intensify = false;
    }
    if (negator) negated = true;
    if (INTENSIFIERS.has(lower)) intensify = true;
  }
  if (/!/.test(raw)) flags.push('flag:excl');
  if (/!\s*!|!!/.test(raw)) flags.push('flag:excl2');
  if (/\?/.test(raw)) flags.push('flag:q');
  if (/\.\.\.|…/.test(raw)) flags.push('flag:ellipsis');
  if (capsWords > 0) flags.push('flag:caps');
  if (words.length <= 2) flags.push('flag:short');
  if (words.length === 0) flags.push('flag:nowords');
  return { tokens, words, flags };
}
