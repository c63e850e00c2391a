import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSubtitles } from '../../src/text/subtitles';
import { composeVideo, cuesToSrt, faceVideoY4m, mediaDuration, SUBTITLE_LINES, wavFromFlac } from './fixtures';

const DATA = resolve(process.env.DATA_ROOT ?? '../shared/data');
const hasData = existsSync(join(DATA, 'faces/taiwanese/observer_ratings.csv')) && existsSync(join(DATA, 'speech/ravdess/labels.csv'));
const work = mkdtempSync(join(tmpdir(), 'fixtures-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cuesToSrt', () => {
  it('numbers cues and uses comma milliseconds', () => {
    expect(cuesToSrt([{ start: 0, end: 3661.5, text: 'hi' }])).toBe('1\n00:00:00,000 --> 01:01:01,500\nhi\n');
  });
});

describe.skipIf(!hasData)('fixtures from ../shared/data', () => {
  const image = (file: string) => join(DATA, 'faces', 'taiwanese', 'images', file);
  const clip = (file: string) => join(DATA, 'speech', 'ravdess', 'flac16k', file);
  const stimuli = [
    { image: image('0111b02.jpg'), audio: clip('03-01-03-02-01-01-01.flac'), text: SUBTITLE_LINES.happy, label: 'happy' },
    { image: image('0101a02.jpg'), audio: clip('03-01-04-02-01-01-01.flac'), text: SUBTITLE_LINES.sad, label: 'sad' },
  ];

  it('composeVideo: segments follow audio durations; srt/vtt parse back to the same cues', async () => {
    const out = await composeVideo(stimuli, join(work, 'compose'), { fps: 10, size: [160, 120], format: 'mp4' });
    const audio = await Promise.all(stimuli.map((s) => mediaDuration(s.audio)));
    expect(out.segments.map((s) => s.label)).toEqual(['happy', 'sad']);
    expect(out.segments[0].start).toBe(0);
    expect(out.segments[1].start).toBe(out.segments[0].end);
    expect(out.segments[0].end).toBeCloseTo(audio[0], 1);
    expect(await mediaDuration(out.video)).toBeCloseTo(out.segments[1].end, 1);
    for (const file of [out.srt, out.vtt]) {
      const parsed = parseSubtitles(readFileSync(file, 'utf8'), file);
      expect(parsed.errors).toEqual([]);
      expect(parsed.cues.map((c) => [c.start, c.end, c.text])).toEqual(out.segments.map((s, i) => [s.start, s.end, stimuli[i].text]));
    }
  }, 20_000);

  it('faceVideoY4m and wavFromFlac produce playable files of the asked length', async () => {
    const [s] = stimuli;
    const y4m = await faceVideoY4m(s.image, join(work, 'face.y4m'), { seconds: 1, fps: 10, size: 128 });
    expect(readFileSync(y4m).subarray(0, 9).toString()).toBe('YUV4MPEG2');
    expect(statSync(y4m).size).toBeGreaterThan(10 * 128 * 128);
    const wav = await wavFromFlac(s.audio, join(work, 'voice.wav'), { sampleRate: 16000 });
    expect(readFileSync(wav).subarray(0, 4).toString()).toBe('RIFF');
    expect(await mediaDuration(wav)).toBeCloseTo(await mediaDuration(s.audio), 1);
  }, 20_000);
});
