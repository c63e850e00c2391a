import { describe, expect, it } from 'vitest';
import { cueAt, cuesInRange, cuesToVtt, parseSubtitles, parseTimestamp } from './subtitles';
import { cuesFromTextTrack } from './texttrack';

describe('parseSubtitles (SRT)', () => {
  it('reads comma milliseconds, BOM and CRLF', () => {
    const srt = '\uFEFF1\r\n00:00:01,500 --> 00:00:03,250\r\nHello there\r\nsecond line\r\n\r\n2\r\n00:01:00,000 --> 00:01:02,000\r\nBye\r\n';
    const { cues, errors, format } = parseSubtitles(srt, 'a.srt');
    expect(format).toBe('srt');
    expect(errors).toEqual([]);
    expect(cues).toEqual([
      { start: 1.5, end: 3.25, text: 'Hello there\nsecond line' },
      { start: 60, end: 62, text: 'Bye' },
    ]);
  });

  it('reports a malformed cue with its index and line and keeps the rest', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nok one\n\n2\n00:00:0x,000 --> 00:00:04,000\nbad\n\n3\nno timing here\n\n4\n00:00:09,000 --> 00:00:08,000\nbackwards\n\n5\n00:00:10,000 --> 00:00:11,000\nok two\n';
    const { cues, errors } = parseSubtitles(srt);
    expect(cues.map((c) => c.text)).toEqual(['ok one', 'ok two']);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ cue: 2, line: 6 });
    expect(errors[0].message).toMatch(/malformed timestamp "00:00:0x,000"/);
    expect(errors[1]).toMatchObject({ cue: 3, line: 9 });
    expect(errors[1].message).toMatch(/no timing line/);
    expect(errors[2]).toMatchObject({ cue: 4, line: 13 });
    expect(errors[2].message).toMatch(/before start/);
  });

  it('keeps overlapping cues but names the overlap', () => {
    const srt = '1\n00:00:01,000 --> 00:00:05,000\nA\n\n2\n00:00:04,000 --> 00:00:06,000\nB\n\n3\n00:00:06,000 --> 00:00:07,000\nC\n';
    const { cues, errors } = parseSubtitles(srt);
    expect(cues).toHaveLength(3);
    expect(errors).toEqual([{ cue: 2, line: 6, message: 'overlaps cue 1 (which ends at 5.000 s); kept' }]);
  });

  it('strips tags, ASS overrides and decodes entities', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\n{\\an8}<i>Tom &amp; Jerry</i> &lt;3 &#233;t&#xE9; <font color="red">red</font>\n';
    expect(parseSubtitles(srt).cues[0].text).toBe('Tom & Jerry <3 été red');
  });

  it('never throws on garbage or empty input', () => {
    expect(parseSubtitles('').cues).toEqual([]);
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(() => parseSubtitles(binary)).not.toThrow();
    expect(() => parseSubtitles('-->\n-->\n\n --> ')).not.toThrow();
  });
});

describe('parseSubtitles (VTT)', () => {
  const vtt = [
    'WEBVTT - a header text',
    'Kind: captions',
    '',
    'STYLE',
    '::cue { color: yellow }',
    '',
    'NOTE this is a comment',
    'spanning lines',
    '',
    'intro',
    '00:01.000 --> 00:02.500 align:start position:10%',
    '<v Ross>We were on a <b>break</b>!</v>',
    '',
    '01:00:00.000 --> 01:00:01.000',
    '<c.loud>Hi</c> <00:00:00.500>there',
    '',
  ].join('\n');

  it('skips header, STYLE and NOTE blocks; reads identifiers, settings, short timestamps and voice tags', () => {
    const { cues, errors, format } = parseSubtitles(vtt);
    expect(format).toBe('vtt');
    expect(errors).toEqual([]);
    expect(cues).toEqual([
      { start: 1, end: 2.5, text: 'We were on a break!' },
      { start: 3600, end: 3601, text: 'Hi there' },
    ]);
  });

  it('round-trips through cuesToVtt', () => {
    const cues = [
      { start: 0.5, end: 1.25, text: 'a < b & c' },
      { start: 3661.001, end: 3662, text: 'two\nlines' },
    ];
    const back = parseSubtitles(cuesToVtt(cues));
    expect(back.errors).toEqual([]);
    expect(back.cues).toEqual(cues);
  });

  it('parses timestamps with 1–3 fraction digits and rejects bad minutes', () => {
    expect(parseTimestamp('00:00:01.5')).toBe(1.5);
    expect(parseTimestamp('02:03.045')).toBeCloseTo(123.045, 6);
    expect(parseTimestamp('00:61:00.000')).toBeNull();
  });
});

describe('cue look-up', () => {
  const cues = [
    { start: 0, end: 2, text: 'a' },
    { start: 1, end: 10, text: 'long' },
    { start: 3, end: 4, text: 'b' },
    { start: 6, end: 7, text: 'c' },
  ];
  it('cueAt picks the latest-starting active cue, or none in a gap', () => {
    expect(cueAt(cues, 0.5)?.text).toBe('a');
    expect(cueAt(cues, 1.5)?.text).toBe('long');
    expect(cueAt(cues, 3.5)?.text).toBe('b');
    expect(cueAt(cues, 5)?.text).toBe('long');
    expect(cueAt(cues, 11)).toBeUndefined();
    expect(cueAt([], 1)).toBeUndefined();
  });
  it('cuesInRange returns overlapping cues, end-exclusive', () => {
    expect(cuesInRange(cues, 2, 3).map((c) => c.text)).toEqual(['long']);
    expect(cuesInRange(cues, 3.5, 6.5).map((c) => c.text)).toEqual(['long', 'b', 'c']);
  });
  it('cuesFromTextTrack loads a disabled track and strips markup', () => {
    const track = { mode: 'disabled' as TextTrackMode, cues: [{ startTime: 2, endTime: 3, text: '<i>later</i>' }, { startTime: 0, endTime: 1, text: 'first' }] };
    expect(cuesFromTextTrack(track)).toEqual([{ start: 0, end: 1, text: 'first' }, { start: 2, end: 3, text: 'later' }]);
    expect(track.mode).toBe('hidden');
  });
});
