import { describe, expect, it } from 'vitest';
import { tokenizeUtterance } from './tokenize';
import { addProjection, buildWordVectorTable, sentenceVector, sifWeightFromRank } from './word-vectors';

// 3-d toy vectors: happy = x axis, sad = y axis, dog = z axis.
const table = buildWordVectorTable(['happy', 'sad', 'dog'], Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]), 3);

describe('pretrained word-vector sentence vector', () => {
  it('averages known words and ignores unknown ones', () => {
    const v = sentenceVector(tokenizeUtterance('happy dog, zzqx'), table);
    expect(Array.from(v)).toEqual([0.5, 0, 0.5, 0, 0, 0]);
  });

  it('puts negated words into the second channel, so "not happy" differs from "happy"', () => {
    const plain = sentenceVector(tokenizeUtterance('happy'), table);
    const negated = sentenceVector(tokenizeUtterance("I'm not happy"), table);
    expect(Array.from(plain)).toEqual([1, 0, 0, 0, 0, 0]);
    expect(Array.from(negated)).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it('is all zeros for text without known words (emoji, foreign, empty)', () => {
    for (const text of ['', '😀😀', 'Je suis très fatigué aujourd’hui']) {
      expect(sentenceVector(tokenizeUtterance(text), table).every((x) => x === 0)).toBe(true);
    }
  });

  it('SIF weight falls with word frequency (rank 0 = most frequent)', () => {
    expect(sifWeightFromRank(0, 300000)).toBeLessThan(0.05);
    expect(sifWeightFromRank(20000, 300000)).toBeGreaterThan(0.9);
    expect(sifWeightFromRank(100, 300000)).toBeLessThan(sifWeightFromRank(1000, 300000));
  });

  it('adds vector · projection into the bag row', () => {
    const bag = Float32Array.from([1, 1]);
    addProjection(Float32Array.from([2, 0, 1]), Float32Array.from([1, 0, 5, 5, 0, 1]), bag, 2);
    expect(Array.from(bag)).toEqual([3, 2]);
  });

  it('rejects a table whose size does not match its word list', () => {
    expect(() => buildWordVectorTable(['a', 'b'], new Float32Array(3), 3)).toThrow(/size/);
  });
});
