/**
 * Browser/worker client of the prior proxy (pure fetch, no DOM). Requests made within `debounceMs` go out as one
 * batch call; answers are cached by summary hash; when the proxy is down, slow or refuses, the local reasoner
 * answers instead (`source: 'local'`), so a live page never waits longer than `timeoutMs` for a prior.
 *
 * @example
 * const priors = createPriorClient({ mode: 'proxy' });
 * const prior = await priors.prior(summary); // {label: 'happy', rationale: 'AU6 … AU12 …', source: 'gemini', …}
 */
import type { Prior, SegmentSummary } from '../shared/types';
import { LruCache } from './lru';
import { reason } from './reasoner';
import { PRIOR_LIMITS, PriorBatchResponseSchema, SegmentSummarySchema } from './schema';
import { summaryKey } from './summary';

export type PriorMode = 'off' | 'local' | 'proxy';

export interface PriorClientOptions {
  /** Endpoint of the proxy. Default '/api/prior' (the Vite dev server forwards /api to the proxy). */
  url?: string;
  /** 'off' → null, 'local' → local reasoner only, 'proxy' → proxy with local fallback. */
  mode: PriorMode;
  /** Window in ms within which calls are batched. Default 40. */
  debounceMs?: number;
  /** Deadline of one proxy call in ms before falling back to local. Default 3000. */
  timeoutMs?: number;
  /** Default globalThis.fetch. */
  fetchImpl?: typeof fetch;
  /** Cached proxy answers. Default 256. */
  cacheSize?: number;
  /** After the proxy failed (network, 5xx, timeout), use local directly for this long in ms. Default 5000. */
  retryAfterMs?: number;
  /** Milliseconds clock. Default Date.now. */
  now?: () => number;
}

export interface PriorClient {
  readonly mode: PriorMode;
  /** The prior for one segment, or null in 'off' mode. Never rejects. */
  prior(summary: SegmentSummary): Promise<Prior | null>;
  /** Sends the pending batch now. */
  flush(): Promise<void>;
  /** Cancels the pending timer; pending calls are answered locally. */
  dispose(): void;
}

interface Pending {
  summary: SegmentSummary;
  key: string;
  resolve: (prior: Prior) => void;
}

function localPrior(summary: SegmentSummary): Prior {
  return reason(summary);
}

export function createPriorClient(options: PriorClientOptions): PriorClient {
  const url = options.url ?? '/api/prior';
  const debounceMs = options.debounceMs ?? 40;
  const timeoutMs = options.timeoutMs ?? 3000;
  const retryAfterMs = options.retryAfterMs ?? 5000;
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const cache = new LruCache<Prior>(options.cacheSize ?? 256);
  const inflight = new Map<string, Promise<Prior>>();
  let queue: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let proxyDownUntil = 0;

  const answerLocally = (batch: Pending[]) => batch.forEach((p) => p.resolve(localPrior(p.summary)));

  async function send(batch: Pending[]): Promise<void> {
    const controller = new AbortController();
    let deadline: ReturnType<typeof setTimeout> | undefined;
    // The deadline races the call as well as aborting it: a fetch that ignores its signal still cannot stall us.
    const expired = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => {
        controller.abort();
        reject(new Error('prior proxy timed out'));
      }, timeoutMs);
    });
    try {
      const res = await Promise.race([expired, fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ segments: batch.map((p) => ({ summary: p.summary })) }),
        signal: controller.signal,
      })]);
      if (!res.ok) {
        // 4xx other than 429 is this request's fault, not the proxy's: no back-off.
        if (res.status >= 500 || res.status === 429) {
          const retryS = Number(res.headers.get('retry-after'));
          proxyDownUntil = now() + (Number.isFinite(retryS) && retryS > 0 ? retryS * 1000 : retryAfterMs);
        }
        answerLocally(batch);
        return;
      }
      const parsed = PriorBatchResponseSchema.safeParse(await Promise.race([expired, res.json()]));
      if (!parsed.success || parsed.data.priors.length !== batch.length) throw new Error('bad proxy answer');
      batch.forEach((p, i) => {
        const prior = parsed.data.priors[i] as Prior;
        // Only model answers are cached: a local fallback from the proxy should be retried once Gemini is back.
        if (prior.source === 'gemini') cache.set(p.key, prior);
        p.resolve(prior);
      });
    } catch {
      proxyDownUntil = now() + retryAfterMs;
      answerLocally(batch);
    } finally {
      clearTimeout(deadline);
    }
  }

  async function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const batches: Pending[][] = [];
    while (queue.length) batches.push(queue.splice(0, PRIOR_LIMITS.maxBatch));
    queue = [];
    await Promise.all(batches.map(send));
  }

  function viaProxy(summary: SegmentSummary): Promise<Prior> {
    if (!SegmentSummarySchema.safeParse(summary).success) return Promise.resolve(localPrior(summary));
    const key = summaryKey(summary);
    const cached = cache.get(key);
    if (cached) return Promise.resolve({ ...cached, latencyMs: 0 });
    const pending = inflight.get(key);
    if (pending) return pending;
    if (now() < proxyDownUntil) return Promise.resolve(localPrior(summary));
    const job = new Promise<Prior>((resolve) => {
      queue.push({ summary, key, resolve });
      if (queue.length >= PRIOR_LIMITS.maxBatch) void flush();
      else if (timer === undefined) timer = setTimeout(() => void flush(), debounceMs);
    }).finally(() => inflight.delete(key));
    inflight.set(key, job);
    return job;
  }

  return {
    mode: options.mode,
    async prior(summary) {
      if (options.mode === 'off') return null;
      if (options.mode === 'local') return localPrior(summary);
      return viaProxy(summary);
    },
    flush,
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const batch = queue;
      queue = [];
      answerLocally(batch);
    },
  };
}
