import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSubtitles } from '../../src/text/subtitles';
import { composeVideo, cuesToSrt, faceVideoMjpeg, mediaDuration, pickStimuli, wavFromFlac } from './fixtures';

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
  it('pickStimuli: one performer, matching classes, deterministic', () => {
    const a = pickStimuli(DATA, ['happy', 'worried', 'neutral']);
    expect(a.map((s) => s.label)).toEqual(['happy', 'worried', 'neutral']);
    expect(new Set(a.map((s) => s.performer)).size).toBe(1);
    expect(a[0].image).toMatch(/taiwanese\/images\/\d{4}b\d{2}\.jpg$/);
    expect(a[1].ravdessEmotion).toBe('fearful');
    expect(a[2].ravdessEmotion).toBe('neutral');
    expect(a[0].agreement).toBeGreaterThan(0.5);
    expect(pickStimuli(DATA, ['happy', 'worried', 'neutral'])).toEqual(a);
    expect(() => pickStimuli(DATA, ['disgust'])).toThrow('pickStimuli: unknown label "disgust"');
  });

  it('composeVideo: segments follow audio durations; srt/vtt parse back to the same cues', async () => {
    const stimuli = pickStimuli(DATA, ['happy', 'sad']);
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

  it('faceVideoMjpeg and wavFromFlac produce playable files of the asked length', async () => {
    const [s] = pickStimuli(DATA, ['angry']);
    const mjpeg = await faceVideoMjpeg(s.image, join(work, 'face.mjpeg'), { seconds: 1, fps: 10, size: 128 });
    expect(statSync(mjpeg).size).toBeGreaterThan(1000);
    const wav = await wavFromFlac(s.audio, join(work, 'voice.wav'), { sampleRate: 16000 });
    expect(readFileSync(wav).subarray(0, 4).toString()).toBe('RIFF');
    expect(await mediaDuration(wav)).toBeCloseTo(await mediaDuration(s.audio), 1);
  }, 20_000);
});
