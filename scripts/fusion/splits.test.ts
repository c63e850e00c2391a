import { describe, expect, it } from 'vitest';
import { speechLabel } from './corpus';
import { evaluationRecords, hashedSplit, readSplits, splitOf } from './splits';
import { parseSpeechLabels } from './voice-cache';
import { balancedAnchors, rng, type Item } from './compose';
import { LABELS } from '../../src/shared/labels';

describe('scripts/splits.json', () => {
  const splits = readSplits();

  it('puts every listed person in exactly one split', () => {
    for (const [corpus, byName] of Object.entries(splits.persons)) {
      const all = Object.values(byName).flat();
      expect(new Set(all).size, corpus).toBe(all.length);
      expect(byName.dev.length, corpus).toBeGreaterThan(0);
    }
  });

  it('assigns unknown persons and corpora to "all" and hashes muxspace identities deterministically', () => {
    expect(splitOf({ corpus: 'ravdess', person: 'ravdess/21' }, splits)).toBe('all');
    expect(splitOf({ corpus: 'crema', person: 'crema/1001' }, splits)).toBe('all');
    expect(splitOf({ corpus: 'ravdess', person: 'ravdess/15' }, splits)).toBe('dev');
    const rule = splits.hashed.muxspace;
    const names = Array.from({ length: 2000 }, (_, i) => `person_${i}`);
    const dev = names.filter((n) => hashedSplit(n, rule) === 'dev').length / names.length;
    expect(dev).toBeGreaterThan(0.15);
    expect(dev).toBeLessThan(0.25);
    expect(hashedSplit('Aaron_Sorkin', rule)).toBe(hashedSplit('Aaron_Sorkin', rule));
  });
});

describe('speech corpus schema', () => {
  it('maps RAVDESS emotion words to LABELS (calm → neutral, fearful → worried, disgust dropped)', () => {
    expect(speechLabel('calm')).toBe(LABELS.indexOf('neutral'));
    expect(speechLabel('fearful')).toBe(LABELS.indexOf('worried'));
    expect(speechLabel('surprised')).toBe(LABELS.indexOf('surprise'));
    expect(speechLabel('disgust')).toBe(-1);
  });

  it('reads labels.csv with an actor or speaker column and quoted fields', () => {
    const clips = parseSpeechLabels('file,emotion,speaker\n"a,1.flac",Happy,7\nb.flac,sad,8\n');
    expect(clips).toEqual([
      { file: 'a,1.flac', emotion: 'happy', speaker: '7' },
      { file: 'b.flac', emotion: 'sad', speaker: '8' },
    ]);
    expect(() => parseSpeechLabels('file,label\nx,y\n')).toThrow(/actor\/speaker/);
  });

  it('reads a sex or gender column when there is one, and leaves unknown values out', () => {
    const clips = parseSpeechLabels('file,emotion,actor,Gender\na.flac,angry,1,M\nb.flac,sad,2,female\nc.flac,sad,3,n/a\n');
    expect(clips.map((c) => c.sex)).toEqual(['male', 'female', undefined]);
  });
});

describe('balancedAnchors', () => {
  it('gives every class of a modality the same count', () => {
    const item = (label: number, k: number): Item => ({
      modality: 'voice', corpus: 'c', id: `${label}-${k}`, person: 'p', label, trainLabel: label,
      raw: new Float32Array(1), cal: new Float32Array(1), std: new Float32Array(1),
    });
    const items = [...Array.from({ length: 9 }, (_, k) => item(0, k)), item(1, 0), item(1, 1), item(1, 2)];
    const anchors = balancedAnchors(items, (i) => i.label, rng(1));
    expect(anchors.filter((a) => a.label === 0).length).toBe(6);
    expect(anchors.filter((a) => a.label === 1).length).toBe(6);
  });
});

describe('evaluationRecords', () => {
  const rec = (modality: 'face' | 'voice' | 'text', person: string, split: string) => ({ modality, person, split });
  const train = [rec('voice', 'ravdess/1', 'train'), rec('face', 'muxspace/Ann', 'train'), rec('text', 'meld', 'train')];
  const known = new Set(['train', 'dev']);

  it('takes the named split on the training directory', () => {
    const all = [rec('voice', 'ravdess/1', 'train'), rec('voice', 'ravdess/15', 'dev'), rec('text', 'meld', 'dev')];
    expect(evaluationRecords(all, train, 'dev', { sameData: true, knownSplits: known }).records).toEqual([all[1], all[2]]);
  });

  it('on another directory keeps every unseen person whatever the split is called, and leaves trained-on persons out', () => {
    const all = [
      rec('voice', 'ravdess/21', 'all'), // held-out actor: in no split
      rec('voice', 'ravdess/1', 'train'), // trained on
      rec('face', 'muxspace/Ann', 'train'), // trained-on identity, new photo
      rec('face', 'muxspace/Bob', 'train'), // identity hashed to train but never in the training data
      rec('text', 'meld', 'test'), // from test files
      rec('text', 'meld', 'train'), // dev-file utterance in the fusion model's training part
    ];
    for (const split of ['dev', 'test']) {
      const { records, note } = evaluationRecords(all, train, split, { sameData: false, knownSplits: known });
      expect(records).toEqual([all[0], all[3], all[4]]);
      expect(note).toContain('3 of 6 records left out');
    }
  });

  it('an unknown split name on the training directory also means unseen persons', () => {
    const all = [rec('voice', 'ravdess/1', 'train'), rec('voice', 'ravdess/15', 'dev')];
    expect(evaluationRecords(all, train, 'heldout', { sameData: true, knownSplits: known }).records).toEqual([all[1]]);
  });
});

