import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseObserverRatings, parseTaiwaneseName, readMuxspace, readTaiwanese } from './datasets';

const DATA = resolve(process.env.DATA_ROOT ?? '../shared/data');
const hasData = existsSync(resolve(DATA, 'faces/taiwanese/observer_ratings.csv'));

describe('parseTaiwaneseName', () => {
  it('splits performer, performance type, view, letter and serial', () => {
    expect(parseTaiwaneseName('0321f07.jpg')).toEqual({ performer: '03', performanceType: 2, view: 1, letter: 'f', serial: '07' });
  });
  it('keeps files without an expression letter with letter null', () => {
    expect(parseTaiwaneseName('1201002.jpg')?.letter).toBeNull();
    expect(parseTaiwaneseName('notes.txt')).toBeNull();
  });
});

describe('parseObserverRatings', () => {
  it('skips the two header rows and maps .tif names to .jpg', () => {
    const csv = 'file_name,a,b,c,d,e,counterMax\n,,,,,,happy,sad,angry,disgusted,fearful,surprised\n0101b02.tif,N/A,100,1,0.9,1.2,0.8,0.1,0.05,0.05,0,0\n';
    const rows = parseObserverRatings(csv);
    expect([...rows.keys()]).toEqual(['0101b02.jpg']);
    expect(rows.get('0101b02.jpg')).toEqual({ votes: [0.8, 0.1, 0.05, 0.05, 0, 0], maxIntensity: 0.9 });
  });
});

describe.skipIf(!hasData)('dataset readers on ../shared/data', () => {
  it('maps Taiwanese letters and reads agreement of the posed category', () => {
    const records = readTaiwanese(DATA);
    expect(records.length).toBe(993);
    const fearful = records.find((r) => r.sourceLabel === 'fearful' && r.observerVotes)!;
    expect(fearful.label).toBe('worried');
    expect(fearful.agreement).toBe(fearful.observerVotes![4]);
    expect(records.filter((r) => r.label === 'disgust').every((r) => r.excluded)).toBe(true);
    expect(records.filter((r) => r.label === 'neutral').every((r) => r.agreement === null)).toBe(true);
  });
  it('maps muxspace words and keeps identities as subjects', () => {
    const records = readMuxspace(DATA);
    expect(records.length).toBeGreaterThan(4000);
    expect(new Set(records.map((r) => r.label))).toEqual(new Set(['neutral', 'happy', 'sad', 'angry', 'worried', 'surprise', 'disgust', 'other']));
    expect(records.find((r) => r.file === 'AJ_Lamas_0001.jpg')).toMatchObject({ subject: 'AJ_Lamas', label: 'happy', excluded: false });
  });
});

describe('readFaceDatasets', () => {
  it('skips datasets that are absent under the data root', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { readFaceDatasets } = await import('./datasets');
    const empty = mkdtempSync(resolve(tmpdir(), 'faces-'));
    expect(readFaceDatasets(empty)).toEqual([]);
    rmSync(empty, { recursive: true });
  });
});
