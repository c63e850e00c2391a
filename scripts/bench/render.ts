/** Renders reports/bench.json as plain-text tables (bench.ts prints it; readme-perf.ts renders markdown). */
import { fmt, table } from './table';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string => (v === undefined || v === null ? '—' : String(v));

export interface BenchTables {
  title: string;
  headers: string[];
  rows: (string | number | null)[][];
  note?: string;
}

export function benchTables(report: Obj): BenchTables[] {
  const s = obj(report.sections);
  const out: BenchTables[] = [];
  const live = obj(s.live);
  if (live.rows) {
    out.push({
      title: 'Live pipeline (fake camera + microphone)',
      headers: ['pipeline', 'backend', 'face thread', 'frames/s', 'face ms/frame', 'round trip ms', 'fusion ms/reading', 'dropped', 'note'],
      rows: arr(live.rows).map((r) => [str(r.pipeline), `${str(r.backend)}${r.backend !== r.requestedBackend ? ` (asked ${str(r.requestedBackend)})` : ''}`, str(r.faceThread ?? '—'), num(r.fps), num(r.faceMs), num(r.roundTripMs), num(r.workerFusionMs), num(r.dropped), r.error ? str(r.error).slice(0, 60) : '']),
      note: [
        ...arr(live.ratios).map((r) => `ours/human ${str(r.backend)}: frames/s ×${str(r.fpsOursOverHuman)}, face ms ×${str(r.faceMsOursOverHuman)}`),
        live.faceThread ? `face thread: worker ${str(obj(live.faceThread).workerFps)} fps vs main ${str(obj(live.faceThread).mainFps)} fps → ${str(obj(live.faceThread).faster)} is faster here` : '',
        live.prosodyWindow2s ? `prosody (one 2 s window, main thread): p50 ${fmt(num(obj(live.prosodyWindow2s).msP50) ?? Number.NaN)} ms, p95 ${fmt(num(obj(live.prosodyWindow2s).msP95) ?? Number.NaN)} ms` : '',
      ].filter(Boolean).join('\n'),
    });
  }
  const fusion = obj(s.fusion);
  if (fusion.rows) {
    out.push({
      title: 'Fusion inference in the inference worker (predictSegments: text model, prior, calibration, fusion)',
      headers: ['backend', 'batch', 'calls', 'worker p50 ms', 'worker p95 ms', 'round trip p50', 'round trip p95', 'ms/window p50', 'tensors Δ', 'model'],
      rows: arr(fusion.rows).map((r) => [r.error ? `${str(r.requested)} (failed)` : str(r.backend), num(r.batch), num(r.calls), num(r.workerP50), num(r.workerP95), num(r.roundTripP50), num(r.roundTripP95), num(r.perWindowP50), num(r.numTensorsGrowth), r.error ? str(r.error).slice(0, 60) : str(r.fusion)]),
    });
  }
  const ft = obj(s.finetune);
  if (ft.rows) {
    out.push({
      title: `Fine-tune (trainStep, BDCL loss, batch ${str(ft.batchSize)}; ${str(ft.data)})`,
      headers: ['backend', 'steps run', 'ms/step', '1,000 windows × 20 epochs (s)', 'extrapolated', 'tensors Δ'],
      rows: arr(ft.rows).map((r) => [r.error ? `${str(r.requested)} (failed)` : str(r.backend), num(r.steps), num(r.msPerStep), num(r.ms1000x20) === null ? null : (r.ms1000x20 as number) / 1000, r.error ? str(r.error).slice(0, 60) : r.extrapolated ? 'yes' : 'no', num(r.numTensorsGrowth)]),
    });
  }
  const analysis = obj(s.analysis);
  if (analysis.rows) {
    out.push({
      title: 'File analysis (× real time)',
      headers: ['what', 'concurrency', 'media s', '× real time', '× incl. start-up', 'note'],
      rows: arr(analysis.rows).map((r) => [str(r.what), num(r.concurrency), num(r.mediaSeconds), num(r.realTimeFactor), num(r.aggregateRealTimeFactor), r.error ? str(r.error).slice(0, 60) : str(r.backend ?? '')]),
    });
  } else if (analysis.skipped) out.push({ title: 'File analysis', headers: ['skipped'], rows: [[str(analysis.skipped)]] });
  const cold = obj(s.coldstart);
  if (cold.rows) {
    const kb = (r: Obj, k: string) => Math.round((num(obj(r.bytes)[k]) ?? 0) / 1024);
    out.push({
      title: 'Cold start (production build, vite preview)',
      headers: ['cache', 'first prediction ms', 'Start → first live reading ms', 'JS KiB', 'wasm KiB', 'models KiB', 'other KiB', 'requests'],
      rows: arr(cold.rows).map((r) => [str(r.cache), num(r.firstPredictionMs), num(r.firstLiveReadingMs), kb(r, 'js'), kb(r, 'wasm'), kb(r, 'models'), kb(r, 'other'), num(r.requests)]),
    });
  }
  for (const rep of arr(obj(s.accuracy).reports)) {
    const rows = arr(rep.rows);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(obj(r.metrics))))].slice(0, 6);
    out.push({ title: `Accuracy: reports/${str(rep.report)} (${str(rep.createdAt).slice(0, 10)})`, headers: ['what', ...keys], rows: rows.slice(0, 20).map((r) => [str(r.name).slice(0, 70), ...keys.map((k) => num(obj(r.metrics)[k]))]) });
  }
  for (const [name, v] of Object.entries(s)) if (obj(v).error) out.push({ title: `${name}: FAILED`, headers: ['error'], rows: [[str(obj(v).error).split('\n')[0].slice(0, 200)]] });
  return out;
}

export function renderBench(report: Obj): string {
  const m = obj(report.machine);
  const head = `${str(report.mode)} run ${str(m.date)} on ${str(m.cpuModel)}, ${str(m.cores)} cores, Chromium ${str(m.chromium)}, load ${str(m.loadAverage1m)}`;
  return [head, ...benchTables(report).map((t) => `\n${t.title}\n${table(t.headers, t.rows)}${t.note ? `\n${t.note}` : ''}`)].join('\n');
}
