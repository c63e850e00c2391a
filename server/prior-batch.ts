/**
 * Priors for a whole dataset (training stage 2), with a disk cache of one JSON file per summary hash
 * (`<cacheDir>/<sha256>.json`). With `url` the running proxy answers (batches of 8, honouring 429 Retry-After);
 * without it the local reasoner runs in-process. Re-runs only compute what the cache lacks.
 *
 * @example
 * const priors = await fetchPriorsCached(summaries, { cacheDir: '.cache/priors', url: 'http://127.0.0.1:8787/api/prior' });
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reason } from '../src/priors/reasoner';
import { PRIOR_LIMITS, PriorBatchResponseSchema, PriorSchema } from '../src/priors/schema';
import { summaryKey } from '../src/priors/summary';
import type { Prior, SegmentSummary } from '../src/shared/types';

export interface FetchPriorsOptions {
  /** Proxy endpoint, e.g. http://127.0.0.1:8787/api/prior. Absent → local reasoner in-process. */
  url?: string;
  /** Directory of the JSON cache (created if missing), e.g. .cache/priors. */
  cacheDir: string;
  /**
   * Segments per call (≤ 32). Default 8 with a url (the proxy's upstream concurrency, so one call is one Gemini round
   * and never meets the proxy's batch deadline), 32 in-process.
   */
  batchSize?: number;
  /** Ignore cached answers whose source is 'local' (e.g. once a Gemini key is configured). Default false. */
  refreshLocal?: boolean;
  /** Attempts per batch on 429/5xx/network errors. Default 5. */
  attempts?: number;
  fetchImpl?: typeof fetch;
  /** Called after each batch with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readCached(path: string): Promise<Prior | null> {
  try {
    const parsed = PriorSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? (parsed.data as Prior) : null;
  } catch {
    return null;
  }
}

async function writeCached(path: string, prior: Prior): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(prior));
  await rename(tmp, path);
}

async function postBatch(url: string, batch: SegmentSummary[], options: FetchPriorsOptions): Promise<Prior[]> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const attempts = options.attempts ?? 5;
  let lastError = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ segments: batch.map((summary) => ({ summary })) }),
      });
      const body: unknown = await res.json().catch(() => null);
      if (res.ok) {
        const parsed = PriorBatchResponseSchema.safeParse(body);
        if (parsed.success && parsed.data.priors.length === batch.length) return parsed.data.priors as Prior[];
        throw new Error('proxy answered with an invalid batch');
      }
      const message = (body as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
      if (res.status !== 429 && res.status < 500) throw new Error(`proxy refused the batch (${res.status}): ${message}`);
      lastError = `${res.status} ${message}`;
      const retryS = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(retryS) && retryS > 0 ? retryS * 1000 : 250 * 2 ** attempt);
    } catch (error) {
      if (error instanceof Error && /refused|invalid batch/.test(error.message)) throw error;
      lastError = error instanceof Error ? error.message : String(error);
      await sleep(250 * 2 ** attempt);
    }
  }
  throw new Error(`fetchPriorsCached: proxy at ${url} failed after ${attempts} attempts: ${lastError}`);
}

/** Priors in the order of `summaries`; cached answers are reused, the rest computed and cached. */
export async function fetchPriorsCached(summaries: readonly SegmentSummary[], options: FetchPriorsOptions): Promise<Prior[]> {
  await mkdir(options.cacheDir, { recursive: true });
  const keys = summaries.map(summaryKey);
  const out: (Prior | null)[] = await Promise.all(
    keys.map(async (key) => {
      const prior = await readCached(join(options.cacheDir, `${key}.json`));
      return prior && !(options.refreshLocal && prior.source === 'local') ? prior : null;
    }),
  );
  // One computation per distinct missing key.
  const missing = [...new Set(keys.filter((_, i) => out[i] === null))];
  const byKey = new Map<string, Prior>();
  const firstIndex = new Map(keys.map((k, i) => [k, i] as const).reverse());
  const batchSize = Math.max(1, Math.min(options.batchSize ?? (options.url ? PRIOR_LIMITS.upstreamConcurrency : PRIOR_LIMITS.maxBatch), PRIOR_LIMITS.maxBatch));
  for (let b = 0; b < missing.length; b += batchSize) {
    const batchKeys = missing.slice(b, b + batchSize);
    const batch = batchKeys.map((k) => summaries[firstIndex.get(k)!]);
    const priors = options.url ? await postBatch(options.url, batch, options) : batch.map(reason);
    await Promise.all(
      batchKeys.map((key, i) => {
        byKey.set(key, priors[i]);
        return writeCached(join(options.cacheDir, `${key}.json`), priors[i]);
      }),
    );
    options.onProgress?.(Math.min(b + batchSize, missing.length), missing.length);
  }
  return out.map((prior, i) => prior ?? byKey.get(keys[i])!);
}
