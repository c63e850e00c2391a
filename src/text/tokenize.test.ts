import { describe, expect, it } from 'vitest';
import { DEFAULT_HASH_SETTINGS, featurize, fnv1a, vocabularyCoverage } from './features';
import { MAX_TOKENS, tokenizeUtterance } from './tokenize';

describe('tokenizeUtterance', () => {
  it('marks the negation scope with NOT_ up to clause punctuation (Das & Chen 2001)', () => {
    const { tokens } = tokenizeUtterance("I'm not happy about it, but fine");
    expect(tokens).toEqual(["i'm", 'not', 'NOT_happy', 'NOT_about', 'NOT_it', ',', 'but', 'fine']);
    expect(tokenizeUtterance("I don’t like you. You're great").tokens).toEqual(['i', "don't", 'NOT_like', 'NOT_you', '.', "you're", 'great']);
  });

  it('marks intensified words and shape cues', () => {
    const { tokens, flags } = tokenizeUtterance('I am SO angry!!');
    expect(tokens).toContain('angry');
    expect(flags).toEqual(expect.arrayContaining(['INT_angry', 'flag:excl', 'flag:excl2', 'flag:caps']));
    expect(tokenizeUtterance('really really sad').flags).toContain('INT_sad');
    expect(tokenizeUtterance('so not happy').flags).toContain('INT_NOT_happy');
    expect(tokenizeUtterance('Wait... what?').flags).toEqual(expect.arrayContaining(['flag:ellipsis', 'flag:q']));
  });

  it('handles unicode, RTL and emoji-only input', () => {
    expect(tokenizeUtterance('Ça va très bien').words).toEqual(['ça', 'va', 'très', 'bien']);
    expect(tokenizeUtterance('أنا سعيد جدا').words).toHaveLength(3);
    const emoji = tokenizeUtterance('😡😡🔥');
    expect(emoji.words).toEqual([]);
    expect(emoji.tokens).toHaveLength(3);
    expect(emoji.flags).toContain('flag:nowords');
  });

  it('never throws and stays bounded on binary and 10 MB input', () => {
    const binary = String.fromCharCode(...Array.from({ length: 65536 }, (_, i) => (i * 7919) % 65536).filter((c) => c < 0xd800 || c > 0xdfff));
    expect(() => featurize(binary)).not.toThrow();
    const huge = 'so angry and not happy at all! '.repeat(350_000); // ≈ 10 MB
    const t0 = performance.now();
    const bag = featurize(huge);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(tokenizeUtterance(huge).tokens.length).toBeLessThanOrEqual(MAX_TOKENS);
    expect(bag.ids.length).toBeGreaterThan(0);
    expect(() => featurize(undefined as unknown as string)).not.toThrow();
  });
});

describe('hashed features', () => {
  it('FNV-1a matches the reference vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('gives in-range ids, unit-norm word group, and different features for negated words', () => {
    const bag = featurize('not happy', DEFAULT_HASH_SETTINGS);
    expect(Math.max(...bag.ids)).toBeLessThan(DEFAULT_HASH_SETTINGS.buckets);
    expect(Math.min(...bag.ids)).toBeGreaterThanOrEqual(0);
    const plain = new Set(featurize('happy').ids);
    const negated = featurize('not happy').ids;
    expect([...negated].some((id) => !plain.has(id))).toBe(true);
    expect(featurize('happy', DEFAULT_HASH_SETTINGS, 'previous line').ids.length).toBeGreaterThan(featurize('happy').ids.length);
  });

  it('word trigrams (wordMaxN 3) add features only when asked; the default is unigrams + bigrams', () => {
    const text = 'i am so scared now';
    const base = featurize(text, DEFAULT_HASH_SETTINGS);
    expect(Array.from(featurize(text, { ...DEFAULT_HASH_SETTINGS, wordMaxN: 2 }).ids)).toEqual(Array.from(base.ids));
    const withTrigrams = featurize(text, { ...DEFAULT_HASH_SETTINGS, wordMaxN: 3 });
    expect(withTrigrams.ids.length).toBeGreaterThan(base.ids.length);
  });

  it('coverage is the known-word fraction and 0 without words', () => {
    const vocab = new Set(['i', 'am', 'happy']);
    expect(vocabularyCoverage(featurize('I am happy').tokenized, vocab)).toBe(1);
    expect(vocabularyCoverage(featurize('I am glücklich').tokenized, vocab)).toBeCloseTo(2 / 3);
    expect(vocabularyCoverage(featurize('🙂').tokenized, vocab)).toBe(0);
  });
});
