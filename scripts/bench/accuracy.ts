/**
 * Accuracy beside speed: pulls the metric rows out of the evaluation reports other scripts write
 * (reports/eval.json, eval-text.json, face-peers.json, prosody-vs-praat.json), whatever their exact layout:
 * every object holding a known metric becomes one row named by its identifying fields and its path.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ACCURACY_REPORTS = ['eval.json', 'eval-text.json', 'face-peers.json', 'prosody-vs-praat.json'] as const;

const METRIC_KEYS = ['accuracy', 'macroF1', 'weightedF1', 'uar', 'UAR', 'meanAbsError', 'mae', 'maeHz', 'pearson', 'r', 'correlation', 'agreement', 'rmse', 'voicingAgreement', 'medianAbsF0ErrorSt', 'grossF0ErrorRate'];
/** Objects whose every numeric entry is a metric (prosody-vs-praat: per-measure correlations and differences). */
const METRIC_GROUPS = new Set(['pearson', 'meanAbsDiff']);
const NAME_KEYS = ['corpus', 'dataset', 'peer', 'model', 'name', 'predictor', 'variant', 'split', 'measure', 'feature', 'backend'];
const SKIP_KEYS = new Set(['perClass', 'confusion', 'perClassF1', 'rows', 'samples', 'labels', 'perActor', 'settings', 'targets']);

export interface AccuracyRow {
  report: string;
  name: string;
  metrics: Record<string, number>;
}

export interface AccuracyReport {
  report: string;
  createdAt?: string;
  rows: AccuracyRow[];
}

function walk(value: unknown, path: string[], names: string[], out: AccuracyRow[], report: string) {
  if (out.length >= 40 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, String(i)], names, out, report));
    return;
  }
  const record = value as Record<string, unknown>;
  const ownNames = NAME_KEYS.filter((k) => typeof record[k] === 'string').map((k) => String(record[k]));
  const here = [...names, ...ownNames];
  const group = METRIC_GROUPS.has(path[path.length - 1]);
  const metrics = Object.fromEntries(
    (group ? Object.keys(record) : METRIC_KEYS).filter((k) => typeof record[k] === 'number' && Number.isFinite(record[k])).map((k) => [k, Number((record[k] as number).toPrecision(3))]),
  );
  if (Object.keys(metrics).length) {
    const tail = path.filter((p) => !/^\d+$/.test(p)).slice(-2).join('.');
    out.push({ report, name: [...new Set([...here, tail].filter(Boolean))].join(' / ') || '(top level)', metrics });
  }
  for (const [k, v] of Object.entries(record)) {
    if (!SKIP_KEYS.has(k)) walk(v, [...path, k], here, out, report);
  }
}

export function readAccuracyReports(reportsDir: string): AccuracyReport[] {
  const out: AccuracyReport[] = [];
  for (const report of ACCURACY_REPORTS) {
    const file = join(reportsDir, report);
    if (!existsSync(file)) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      const rows: AccuracyRow[] = [];
      walk(json, [], [], rows, report);
      const createdAt = String(json.createdAt ?? json.date ?? statSync(file).mtime.toISOString());
      out.push({ report, createdAt, rows });
    } catch (err) {
      out.push({ report, rows: [{ report, name: `unreadable: ${String(err).slice(0, 100)}`, metrics: {} }] });
    }
  }
  return out;
}
