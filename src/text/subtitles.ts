/**
 * Transcript input: SubRip (.srt) and WebVTT (.vtt) parsing, cue look-up and VTT output.
 * Follows the WebVTT spec (W3C CR, https://www.w3.org/TR/webvtt1/) for header, NOTE/STYLE/REGION blocks and cue
 * timings; SRT is read leniently (comma or dot milliseconds, optional cue number). A bad cue is reported with its
 * cue index and line and skipped; everything else is kept. Never throws.
 */

/** One subtitle cue; times in seconds. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

export interface SubtitleError {
  /** 1-based index of the block among the file's cue blocks. */
  cue: number;
  /** 1-based line in the source. */
  line: number;
  message: string;
}

export interface ParsedSubtitles {
  cues: Cue[];
  errors: SubtitleError[];
  format: 'srt' | 'vtt';
}

/** Cue text longer than this is cut (a transcript line, not a book). */
const MAX_CUE_TEXT_CHARS = 10_000;

// hh:mm:ss.mmm or mm:ss.mmm (VTT); SRT uses a comma before the milliseconds. Fractions of 1–3 digits accepted.
const TIMESTAMP = /^(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$/;

/** Seconds from a VTT/SRT timestamp, or null when malformed. */
export function parseTimestamp(raw: string): number | null {
  const m = TIMESTAMP.exec(raw.trim());
  if (!m) return null;
  const hours = m[1] ? Number(m[1]) : 0;
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  if (minutes > 59 || seconds > 59) return null;
  const fraction = m[4] ? Number(m[4].padEnd(3, '0')) / 1000 : 0;
  return hours * 3600 + minutes * 60 + seconds + fraction;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', lrm: '\u200e', rlm: '\u200f',
};

/** Decodes the basic named entities plus decimal/hex character references. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Removes markup: HTML-ish tags (<i>, <v Speaker>, <c.x>, inline timestamps) and ASS overrides ({\an8}). */
export function stripCueMarkup(text: string): string {
  const plain = text.replace(/<[^>\n]*>/g, '').replace(/\{\\[^}\n]*\}/g, '');
  return decodeEntities(plain)
    .split('\n')
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .filter((l) => l.length > 0)
    .join('\n');
}

interface Block {
  lines: string[];
  firstLine: number;
}

function splitBlocks(source: string): Block[] {
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let current: Block | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      current = null;
      return;
    }
    if (!current) {
      current = { lines: [], firstLine: i + 1 };
      blocks.push(current);
    }
    current.lines.push(line);
  });
  return blocks;
}

function detectFormat(source: string, fileName?: string): 'srt' | 'vtt' {
  const ext = fileName?.toLowerCase().split('.').pop();
  if (ext === 'vtt') return 'vtt';
  if (ext === 'srt') return 'srt';
  return /^\uFEFF?WEBVTT/.test(source) ? 'vtt' : 'srt';
}

/**
 * Parses SRT or WebVTT text.
 * @example parseSubtitles('1\n00:00:01,000 --> 00:00:02,500\n<i>Hi</i> &amp; bye\n').cues
 *   // → [{ start: 1, end: 2.5, text: 'Hi & bye' }]
 */
export function parseSubtitles(source: string, fileName?: string): ParsedSubtitles {
  const format = detectFormat(source, fileName);
  const cues: (Cue & { index: number; line: number })[] = [];
  const errors: SubtitleError[] = [];
  let blocks = splitBlocks(typeof source === 'string' ? source : '');
  if (format === 'vtt') {
    const header = blocks[0];
    if (header && /^WEBVTT/.test(header.lines[0])) blocks = blocks.slice(1);
    else errors.push({ cue: 0, line: 1, message: 'missing WEBVTT header; parsed anyway' });
    // NOTE, STYLE and REGION blocks carry no cue (WebVTT §4.1).
    blocks = blocks.filter((b) => !/^(NOTE|STYLE|REGION)(\s|$)/.test(b.lines[0]));
  }
  blocks.forEach((block, b) => {
    const index = b + 1;
    const timingAt = block.lines.findIndex((l) => l.includes('-->'));
    if (timingAt < 0 || timingAt > 1) {
      const line = block.firstLine + (timingAt < 0 ? 0 : timingAt);
      errors.push({ cue: index, line, message: timingAt < 0 ? 'no timing line ("start --> end"); cue skipped' : 'text before the timing line; cue skipped' });
      return;
    }
    const line = block.firstLine + timingAt;
    const [rawStart, rest = ''] = block.lines[timingAt].split('-->');
    const rawEnd = rest.trim().split(/\s+/)[0] ?? '';
    const start = parseTimestamp(rawStart);
    const end = parseTimestamp(rawEnd);
    if (start === null || end === null) {
      const bad = start === null ? rawStart.trim() : rawEnd;
      errors.push({ cue: index, line, message: `malformed timestamp "${bad.slice(0, 40)}"; cue skipped` });
      return;
    }
    if (end < start) {
      errors.push({ cue: index, line, message: `end ${end.toFixed(3)} s is before start ${start.toFixed(3)} s; cue skipped` });
      return;
    }
    const text = stripCueMarkup(block.lines.slice(timingAt + 1).join('\n')).slice(0, MAX_CUE_TEXT_CHARS);
    if (!text) {
      errors.push({ cue: index, line, message: 'empty cue text; cue skipped' });
      return;
    }
    cues.push({ start, end, text, index, line });
  });
  cues.sort((a, b) => a.start - b.start || a.end - b.end);
  // Overlap is legal (two speakers) but usually a timing mistake in transcripts: report it, keep the cue.
  let latest: (typeof cues)[number] | undefined;
  for (const cue of cues) {
    if (latest && cue.start < latest.end) {
      errors.push({
        cue: cue.index,
        line: cue.line,
        message: `overlaps cue ${latest.index} (which ends at ${latest.end.toFixed(3)} s); kept`,
      });
    }
    if (!latest || cue.end > latest.end) latest = cue;
  }
  errors.sort((a, b) => a.line - b.line);
  return { cues: cues.map(({ start, end, text }) => ({ start, end, text })), errors, format };
}

/** The cue showing at time t (start ≤ t < end); with overlaps, the one that started last. Cues sorted by start. */
export function cueAt(cues: readonly Cue[], t: number): Cue | undefined {
  // Binary search for the last cue starting at or before t, then walk back over overlapping cues.
  let lo = 0;
  let hi = cues.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cues[mid].start <= t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (t < cues[i].end) return cues[i];
  return undefined;
}

/** Cues that overlap [t0, t1), in start order. */
export function cuesInRange(cues: readonly Cue[], t0: number, t1: number): Cue[] {
  return cues.filter((c) => c.start < t1 && c.end > t0);
}

function vttTimestamp(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

/** Serialises cues as WebVTT (text escaped; a blank line inside cue text would end the cue, so it is removed). */
export function cuesToVtt(cues: readonly Cue[]): string {
  const body = cues.map((c) => {
    const text = c.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n\s*\n/g, '\n');
    return `${vttTimestamp(c.start)} --> ${vttTimestamp(c.end)}\n${text}`;
  });
  return `WEBVTT\n\n${body.join('\n\n')}\n`;
}
