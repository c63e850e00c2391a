/**
 * `npx tsx scripts/readme-perf.ts` — prints a short "Performance and accuracy" markdown section for README.md from
 * reports/bench.json, soak.json and load-proxy.json (date and machine included). The lead pastes it in.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './lib/browser';
import { benchTables } from './bench/render';
import { fmt } from './bench/table';

type Obj = Record<string, unknown>;

function read(name: string): Obj | null {
  const file = join(PROJECT_ROOT, 'reports', name);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Obj) : null;
}

function markdownTable(headers: string[], rows: (string | number | null)[][]): string {
  const cell = (c: string | number | null) => (c === null ? '—' : typeof c === 'number' ? fmt(c) : c.replace(/\|/g, '\\|'));
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

type EvalSummary = { n: number; macroF1: number; weightedF1: number; accuracy: number } | null | undefined;

/** The fusion model's dev rows from reports/eval.json: fused, branches, baselines, peers and the BDCL ablation. */
function fusionAccuracy(): string[] {
  const ev = read('eval.json');
  if (!ev) return [];
  const rows = (ev.rows ?? {}) as Record<string, EvalSummary>;
  const baselines = (ev.baselines ?? {}) as Record<string, EvalSummary>;
  const peers = (ev.peers ?? {}) as Record<string, EvalSummary>;
  const pick: [string, EvalSummary][] = [
    ['fused (composed dev triples)', rows['fused (composed triples)']],
    ['fused + local reasoner prior', rows['fused + local reasoner prior']],
    ['fused, one branch disagrees (majority truth)', rows['fused, one branch disagrees (majority truth)']],
    ['face branch alone', rows['face branch alone']],
    ['face branch alone [taiwanese]', rows['face branch alone [taiwanese]']],
    ['face logreg + per-person norm', baselines['face logreg + per-person norm']],
    ['voice branch alone', rows['voice branch alone']],
    ['voice logreg + per-person norm', baselines['voice logreg + per-person norm']],
    ['text branch alone', rows['text branch alone']],
    ['text logreg', baselines['text logreg (population z-score)']],
    ...Object.entries(peers),
  ];
  const table = pick
    .filter(([, s]) => s)
    .map(([name, s]) => [name, String(s!.n), s!.weightedF1.toFixed(3), s!.macroF1.toFixed(3), s!.accuracy.toFixed(3)]);
  const ablation = ev.ablation as Record<string, { fused?: EvalSummary; minority?: { meanRecall: number }; mean?: { seeds: number[]; macroF1: number; macroF1Sd: number; minorityRecall: number; minorityRecallSd: number } }> | string | undefined;
  const lines = [`**Fusion model, dev persons (reports/eval.json, ${String(ev.generatedAt).slice(0, 10)}; \`npm run eval -- --data ../shared/data --split dev\`)**`, '', markdownTable(['row', 'n', 'weighted F1', 'macro-F1', 'accuracy'], table), ''];
  if (ablation && typeof ablation === 'object') {
    for (const [arm, v] of Object.entries(ablation)) {
      if (v && typeof v === 'object' && v.mean) {
        lines.push(`- ablation ${arm} (${v.mean.seeds.length} seeds): fused macro-F1 ${v.mean.macroF1.toFixed(3)} ± ${v.mean.macroF1Sd.toFixed(3)}, minority recall ${v.mean.minorityRecall.toFixed(3)} ± ${v.mean.minorityRecallSd.toFixed(3)}`);
      } else if (v && typeof v === 'object' && v.fused) lines.push(`- ablation ${arm}: fused macro-F1 ${v.fused.macroF1.toFixed(3)}, minority recall ${v.minority?.meanRecall.toFixed(3)}`);
    }
    lines.push('');
  }
  const cross = ev.faceCrossCorpus as Record<string, EvalSummary> | string | undefined;
  if (cross && typeof cross === 'object') {
    const crossRows = Object.entries(cross)
      .filter(([, s]) => s && typeof s === 'object' && 'macroF1' in s)
      .map(([name, s]) => [name, String(s!.n), s!.weightedF1.toFixed(3), s!.macroF1.toFixed(3), s!.accuracy.toFixed(3)]);
    lines.push('**Face branch on a face corpus left out of training** (each corpus in turn; peers on the same images)', '');
    lines.push(markdownTable(['row', 'n', 'weighted F1', 'macro-F1', 'accuracy'], crossRows), '');
  }
  return lines;
}

/**
 * The 1-min load average each bench section started under (`--only` runs merge sections of different runs into one
 * report, so the machine header's load belongs to the last run only).
 */
export function sectionLoads(bench: Obj): string {
  const sections = Object.entries((bench.sections as Obj | undefined) ?? {}).filter(([, v]) => v && typeof v === 'object' && !('error' in (v as Obj)));
  const parts = sections.map(([name, v]) => {
    const load = (v as Obj).loadAverage1mAtStart;
    return `${name} ${typeof load === 'number' ? String(load) : 'not recorded'}`;
  });
  return parts.length ? `1-min load average at the start of each section: ${parts.join(', ')}` : `load average at start ${String((bench.machine as Obj).loadAverage1m)}`;
}

export function performanceSection(): string {
  const bench = read('bench.json');
  const soak = read('soak.json');
  const load = read('load-proxy.json');
  const out: string[] = ['## Performance and accuracy', ''];
  if (!bench) {
    out.push('_No reports/bench.json yet: run `npm run bench`._');
    return out.join('\n');
  }
  const m = bench.machine as Obj;
  out.push(
    `Measured ${String(m.date).slice(0, 10)} (${String(bench.mode)} run) on ${String(m.cpuModel)}, ${String(m.cores)} cores, no GPU (WebGPU is SwiftShader, a CPU emulation), Chromium ${String(m.chromium)}; ` +
      `${sectionLoads(bench)}. Reproduce with \`npm run bench\` (this run took ${Math.round(Number(bench.totalSeconds) / 60)} min; \`-- --quick\` runs fewer iterations), \`npm run test:soak\`, \`npx tsx scripts/load-proxy.ts\`.`,
    '',
  );
  out.push(...fusionAccuracy());
  for (const t of benchTables(bench)) {
    // reports/eval.json gets its own table above (its model rows are what matters, not the first rows).
    if (t.title.includes('eval.json')) continue;
    // Keep the README short: the first rows of each accuracy report (the full tables are in reports/).
    const rows = t.title.startsWith('Accuracy') ? t.rows.slice(0, 6) : t.rows;
    out.push(`**${t.title}**`, '', markdownTable(t.headers, rows), '');
    if (t.note) out.push(...t.note.split('\n').map((l) => `- ${l}`), '');
  }
  if (soak) {
    const live = soak.live as Obj | undefined;
    const ft = soak.finetune as Obj | undefined;
    const g = (o: unknown) => (o ? (o as Obj).growth : '—');
    const settings = soak.settings as Obj;
    out.push(
      `**Soak** (${String(soak.createdAt).slice(0, 10)}): ${String(settings.windows)} live windows on ${String(live?.backend)} and ${String(ft?.steps)} fine-tune steps — ` +
        `tensor growth ${String(g(live?.numTensors))} / ${String(g(ft?.numTensors))}, worker heap growth ${fmt(Number(g(live?.workerHeap)) / 2 ** 20)} MiB after GC; ` +
        `${(soak.failures as string[] | undefined)?.length ? `FAILED: ${(soak.failures as string[]).join('; ')}` : 'no growth beyond noise'}.`,
      '',
    );
  }
  if (load) {
    const l = load.load as Obj;
    const lat = l.latencyMs as Obj;
    const checks = (load.checks as Obj[]) ?? [];
    out.push(
      `**Prior proxy** (local provider, loopback, ${String(l.durationS)} s × ${String(l.connections)} connections): ${String(l.requestsPerSec)} req/s, p99 ${String(lat.p99)} ms, ${String(l.errors)} errors; ` +
        `security checks ${checks.filter((c) => c.ok).length}/${checks.length} passed (key absent from bundle, responses and logs; CORS; body, schema and rate limits).`,
      '',
    );
  }
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) console.log(performanceSection());
