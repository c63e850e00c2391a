/**
 * Validates the prosody extractor (src/voice/extract.ts) against Praat on RAVDESS clips.
 *
 *   npm run eval:prosody -- [--data ../shared/data] [--limit N] [--out reports/prosody-vs-praat.json]
 *
 * Both sides get the same pitch range per speaker sex (male 75–500 Hz, female 100–600 Hz; RAVDESS actors with odd
 * numbers are male) and the same 10 ms frame grid: our first frame is put at Praat's first frame time, so frame i is
 * the same instant in both. Praat runs scripts/praat/voice-measures.praat headless (To Pitch (ac), To PointProcess
 * (cc), jitter (local), shimmer (local, dB), Harmonicity (ac)); our side decodes FLAC with ffmpeg to f32le.
 * Targets (issue 3): voicing agreement ≥ 90 %, median |ΔF0| ≤ 0.5 st on frames both call voiced, and Pearson
 * r ≥ 0.8 across clips for mean F0, jitter, shimmer and HNR.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeProsodyFrames, windowFromFrames } from '../src/voice/extract';
import { prosodyFeatureIndex } from '../src/voice/features';
import { parseSpeechLabels } from './fusion/voice-cache';

export const PROSODY_TARGETS = { voicingAgreement: 0.9, medianF0ErrorSt: 0.5, pearsonR: 0.8 } as const;

/** Pitch range per sex, used identically for Praat and for us. */
export const PITCH_RANGE = { male: { floorHz: 75, ceilingHz: 500 }, female: { floorHz: 100, ceilingHz: 600 } } as const;

export interface ClipResult {
  file: string;
  actor: number;
  sex: 'male' | 'female';
  emotion: string;
  frames: number;
  voicingAgreement: number;
  ours: { meanF0Hz: number | null; jitter: number | null; shimmerDb: number | null; hnrDb: number | null };
  praat: { meanF0Hz: number | null; jitter: number | null; shimmerDb: number | null; hnrDb: number | null };
}

export interface ProsodyEvalReport {
  clips: number;
  praatVersion: string;
  settings: { pitchRange: typeof PITCH_RANGE; timeStepSec: number };
  voicingAgreement: number;
  bothVoicedFrames: number;
  medianAbsF0ErrorSt: number;
  grossF0ErrorRate: number;
  pearson: { meanF0: number; jitter: number; shimmer: number; hnr: number };
  meanAbsDiff: { meanF0Hz: number; jitterPct: number; shimmerDb: number; hnrDb: number };
  targets: typeof PROSODY_TARGETS;
  pass: boolean;
  seconds: number;
  /** Voicing agreement per actor (every run). */
  perActor: Record<string, { clips: number; voicingAgreement: number }>;
  /** Per-clip detail, kept only for runs of at most PER_CLIP_LIMIT clips so the committed report stays small. */
  perClip?: ClipResult[];
}

const PER_CLIP_LIMIT = 60;

export function praatAvailable(): boolean {
  return spawnSync('praat', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function pearson(a: number[], b: number[]): number {
  const n = a.length;
  if (n < 2) return NaN;
  const ma = a.reduce((s, v) => s + v, 0) / n, mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function median(v: number[]): number {
  const s = v.slice().sort((x, y) => x - y);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Row { file: string; emotion: string; actor: number; sex: 'male' | 'female' }

/** RAVDESS labels.csv through the corpus reader the training uses; without a sex column, RAVDESS's odd actors are male. */
function readLabels(ravdessDir: string): Row[] {
  return parseSpeechLabels(readFileSync(join(ravdessDir, 'labels.csv'), 'utf8')).map((c) => {
    const actor = Number(c.speaker);
    return { file: c.file, emotion: c.emotion, actor, sex: c.sex ?? (actor % 2 ? 'male' : 'female') };
  });
}

/**
 * A deterministic subset that spans actors (so both sexes), emotions and intensities: round-robin over actors,
 * stepping through each actor's clips with a stride co-prime to the 60 clips per actor.
 */
export function pickClips<T extends { actor: number }>(rows: T[], limit?: number): T[] {
  if (!limit || limit >= rows.length) return rows;
  const byActor = new Map<number, T[]>();
  for (const r of rows) byActor.set(r.actor, [...(byActor.get(r.actor) ?? []), r]);
  const actors = [...byActor.keys()].sort((a, b) => a - b);
  return Array.from({ length: limit }, (_, i) => {
    const clips = byActor.get(actors[i % actors.length])!;
    return clips[(i * 37 + Math.floor(i / actors.length) * 11) % clips.length];
  });
}

export function decodeMono(path: string): { samples: Float32Array; sampleRate: number } {
  const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  const sampleRate = Number(probe.trim().split(/\s+/)[0]);
  const buf = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'f32le', '-ac', '1', '-'], { maxBuffer: 1 << 28 });
  const samples = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  return { samples, sampleRate };
}

interface PraatClip { t1: number; f0: number[]; jitter: number | null; shimmerDb: number | null; hnrDb: number | null }

function parsePraat(text: string): PraatClip {
  const [head, ...rows] = text.trim().split(/\r?\n/);
  const kv = Object.fromEntries(head.split(' ').map((p) => p.split('=') as [string, string]));
  const num = (s: string | undefined) => (s === undefined || s.includes('undefined') ? null : Number(s));
  return {
    t1: Number(kv.t1),
    f0: rows.map((r) => Number(r.split(' ')[1]) || 0),
    jitter: num(kv.jitter),
    shimmerDb: num(kv.shimmerDb),
    hnrDb: num(kv.hnrDb),
  };
}

const meanVoiced = (f0: ArrayLike<number>) => {
  let s = 0, n = 0;
  for (let i = 0; i < f0.length; i++) if (f0[i] > 0) { s += f0[i]; n++; }
  return n ? s / n : null;
};

export function runProsodyEval(opts: { data?: string; limit?: number; log?: (s: string) => void } = {}): ProsodyEvalReport {
  const t0 = Date.now();
  const data = resolve(opts.data ?? '../shared/data');
  const ravdess = existsSync(join(data, 'labels.csv')) ? data : join(data, 'speech', 'ravdess');
  if (!existsSync(join(ravdess, 'labels.csv'))) throw new Error(`No RAVDESS labels.csv under ${data}`);
  const rows = pickClips(readLabels(ravdess), opts.limit);
  const scriptPath = join(dirname(fileURLToPath(import.meta.url)), 'praat', 'voice-measures.praat');
  const work = mkdtempSync(join(tmpdir(), 'prosody-praat-'));
  try {
    const list = rows.map((r, i) => {
      const range = PITCH_RANGE[r.sex];
      return `${join(ravdess, r.file)}\t${range.floorHz}\t${range.ceilingHz}\tclip${i}`;
    });
    writeFileSync(join(work, 'list.txt'), list.join('\n') + '\n');
    const praat = spawnSync('praat', ['--run', scriptPath, join(work, 'list.txt'), work], { encoding: 'utf8' });
    if (praat.status !== 0) throw new Error(`praat failed: ${praat.stderr || praat.stdout}`);
    const praatVersion = spawnSync('praat', ['--version'], { encoding: 'utf8' }).stdout.trim();

    const jitterI = prosodyFeatureIndex('jitterLocal_mean');
    const shimmerI = prosodyFeatureIndex('shimmerLocaldB_mean');
    const hnrI = prosodyFeatureIndex('HNRdBACF_mean');
    const perClip: ClipResult[] = [];
    const errors: number[] = [];
    let agree = 0, total = 0, gross = 0;
    rows.forEach((r, i) => {
      const ref = parsePraat(readFileSync(join(work, `clip${i}.txt`), 'utf8'));
      const { samples, sampleRate } = decodeMono(join(ravdess, r.file));
      // Praat's sample k sits at (k − ½)/fs; ours at k/fs, hence the half-sample shift.
      const frames = analyzeProsodyFrames(samples, sampleRate, { pitch: PITCH_RANGE[r.sex], firstFrameTime: ref.t1 - 0.5 / sampleRate });
      const n = Math.min(ref.f0.length, frames.f0Hz.length);
      let clipAgree = 0;
      for (let k = 0; k < n; k++) {
        const a = frames.f0Hz[k] > 0, b = ref.f0[k] > 0;
        if (a === b) clipAgree++;
        if (a && b) {
          const e = Math.abs(12 * Math.log2(frames.f0Hz[k] / ref.f0[k]));
          errors.push(e);
          if (e > 1) gross++;
        }
      }
      agree += clipAgree;
      total += n;
      const w = windowFromFrames(frames, 0, frames.duration + 1);
      const feat = (idx: number) => (w.present[idx] ? w.features[idx] : null);
      perClip.push({
        file: r.file, actor: r.actor, sex: r.sex, emotion: r.emotion, frames: n,
        voicingAgreement: n ? clipAgree / n : 0,
        ours: { meanF0Hz: meanVoiced(frames.f0Hz.subarray(0, n)), jitter: feat(jitterI), shimmerDb: feat(shimmerI), hnrDb: feat(hnrI) },
        praat: { meanF0Hz: meanVoiced(ref.f0.slice(0, n)), jitter: ref.jitter, shimmerDb: ref.shimmerDb, hnrDb: ref.hnrDb },
      });
      opts.log?.(`${String(i + 1).padStart(4)}/${rows.length} ${r.file} voicing ${((100 * clipAgree) / Math.max(1, n)).toFixed(1)}%`);
    });

    const paired = (key: keyof ClipResult['ours']) => {
      const a: number[] = [], b: number[] = [];
      for (const c of perClip) {
        const x = c.ours[key], y = c.praat[key];
        if (x !== null && y !== null && Number.isFinite(x) && Number.isFinite(y)) { a.push(x); b.push(y); }
      }
      return { a, b, mad: a.length ? a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length : NaN };
    };
    const f0 = paired('meanF0Hz'), jit = paired('jitter'), shim = paired('shimmerDb'), hnr = paired('hnrDb');
    const report: ProsodyEvalReport = {
      clips: rows.length,
      praatVersion,
      settings: { pitchRange: PITCH_RANGE, timeStepSec: 0.01 },
      voicingAgreement: total ? agree / total : 0,
      bothVoicedFrames: errors.length,
      medianAbsF0ErrorSt: median(errors),
      grossF0ErrorRate: errors.length ? gross / errors.length : NaN,
      pearson: { meanF0: pearson(f0.a, f0.b), jitter: pearson(jit.a, jit.b), shimmer: pearson(shim.a, shim.b), hnr: pearson(hnr.a, hnr.b) },
      meanAbsDiff: { meanF0Hz: f0.mad, jitterPct: jit.mad * 100, shimmerDb: shim.mad, hnrDb: hnr.mad },
      targets: PROSODY_TARGETS,
      pass: false,
      seconds: (Date.now() - t0) / 1000,
      perActor: perActorSummary(perClip),
      perClip: perClip.length <= PER_CLIP_LIMIT ? perClip : undefined,
    };
    const p = report.pearson;
    report.pass =
      report.voicingAgreement >= PROSODY_TARGETS.voicingAgreement &&
      report.medianAbsF0ErrorSt <= PROSODY_TARGETS.medianF0ErrorSt &&
      [p.meanF0, p.jitter, p.shimmer, p.hnr].every((r) => r >= PROSODY_TARGETS.pearsonR);
    return report;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function perActorSummary(clips: ClipResult[]): ProsodyEvalReport['perActor'] {
  const out: ProsodyEvalReport['perActor'] = {};
  const frames: Record<string, { agree: number; total: number; clips: number }> = {};
  for (const c of clips) {
    const k = String(c.actor).padStart(2, '0');
    frames[k] ??= { agree: 0, total: 0, clips: 0 };
    frames[k].agree += c.voicingAgreement * c.frames;
    frames[k].total += c.frames;
    frames[k].clips++;
  }
  for (const [k, v] of Object.entries(frames).sort()) out[k] = { clips: v.clips, voicingAgreement: Number((v.agree / Math.max(1, v.total)).toFixed(4)) };
  return out;
}

export function formatTable(r: ProsodyEvalReport): string {
  const t = r.targets;
  const row = (name: string, value: string, target: string, ok: boolean) => `| ${name.padEnd(34)} | ${value.padStart(8)} | ${target.padEnd(8)} | ${ok ? 'pass' : 'FAIL'} |`;
  return [
    `Prosody vs Praat (${r.praatVersion}), ${r.clips} RAVDESS clips, ${r.bothVoicedFrames} frames voiced in both, ${r.seconds.toFixed(1)} s`,
    `| ${'measure'.padEnd(34)} | ${'value'.padStart(8)} | target   | ok   |`,
    `|${'-'.repeat(36)}|${'-'.repeat(10)}|----------|------|`,
    row('voicing agreement (frames)', `${(100 * r.voicingAgreement).toFixed(1)}%`, `≥ ${t.voicingAgreement * 100}%`, r.voicingAgreement >= t.voicingAgreement),
    row('median |ΔF0|, both voiced (st)', r.medianAbsF0ErrorSt.toFixed(3), `≤ ${t.medianF0ErrorSt}`, r.medianAbsF0ErrorSt <= t.medianF0ErrorSt),
    row('gross F0 errors > 1 st (frames)', `${(100 * r.grossF0ErrorRate).toFixed(1)}%`, '—', true),
    row('Pearson r, clip mean F0', r.pearson.meanF0.toFixed(3), `≥ ${t.pearsonR}`, r.pearson.meanF0 >= t.pearsonR),
    row('Pearson r, jitter (local)', r.pearson.jitter.toFixed(3), `≥ ${t.pearsonR}`, r.pearson.jitter >= t.pearsonR),
    row('Pearson r, shimmer (local, dB)', r.pearson.shimmer.toFixed(3), `≥ ${t.pearsonR}`, r.pearson.shimmer >= t.pearsonR),
    row('Pearson r, HNR (dB)', r.pearson.hnr.toFixed(3), `≥ ${t.pearsonR}`, r.pearson.hnr >= t.pearsonR),
    `mean |ours − Praat|: F0 ${r.meanAbsDiff.meanF0Hz.toFixed(2)} Hz, jitter ${r.meanAbsDiff.jitterPct.toFixed(3)} %, shimmer ${r.meanAbsDiff.shimmerDb.toFixed(3)} dB, HNR ${r.meanAbsDiff.hnrDb.toFixed(2)} dB`,
  ].join('\n');
}

function parseArgs(argv: string[]) {
  const out: { data?: string; limit?: number; out: string; quiet: boolean } = { out: 'reports/prosody-vs-praat.json', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') out.data = argv[++i];
    else if (a === '--limit') out.limit = Number(argv[++i]);
    else if (a === '--out') out.out = argv[++i];
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('npm run eval:prosody -- [--data ../shared/data] [--limit N] [--out reports/prosody-vs-praat.json] [--quiet]');
      process.exit(0);
    } else throw new Error(`Unknown argument ${a}`);
  }
  if (out.limit !== undefined && !(out.limit > 0)) throw new Error('--limit must be a positive number');
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = parseArgs(process.argv.slice(2));
  if (!praatAvailable()) {
    console.error('praat is not installed (apt-get install praat); cannot validate against it.');
    process.exit(2);
  }
  const report = runProsodyEval({ data: args.data, limit: args.limit, log: args.quiet ? undefined : (s) => console.log(s) });
  mkdirSync(dirname(resolve(args.out)), { recursive: true });
  writeFileSync(args.out, JSON.stringify(report, null, 1) + '\n');
  console.log(formatTable(report));
  console.log(`wrote ${args.out}`);
  process.exitCode = report.pass ? 0 : 1;
}
