/**
 * The prior service without HTTP: cache → Gemini (behind timeout and circuit breaker) → local reasoner fallback.
 * Every answer is validated and normalised before it is cached or returned; `source` says who answered.
 */
import { createHash } from 'node:crypto';
import { reason } from '../src/priors/reasoner';
import { LruCache } from '../src/priors/lru';
import { leaksInstructions } from '../src/priors/prompt';
import { cleanRationale, PRIOR_LIMITS, priorFromModelAnswer, type PriorRequest } from '../src/priors/schema';
import { normaliseSummary, summaryKey } from '../src/priors/summary';
import type { Prior, SegmentSummary } from '../src/shared/types';
import { CircuitBreaker, type BreakerOptions } from './breaker';
import { UpstreamError, type PriorModel } from './gemini';

export interface PriorServiceOptions {
  /** Upstream model; null/undefined → local reasoner only. */
  upstream?: PriorModel | null;
  /** Upstream deadline per call in ms. Default 8000. */
  timeoutMs?: number;
  breaker?: BreakerOptions;
  /** Cached upstream answers. Default 2048. */
  cacheSize?: number;
  /** Parallel upstream calls within one batch. Default 8. */
  concurrency?: number;
  /** Upstream budget of a whole batch in ms (later segments are answered locally). Default 2 × timeoutMs. */
  batchDeadlineMs?: number;
  /** Strings that must never appear in an answer (the API key). */
  secrets?: string[];
  /** Structured event log (one object per event, never containing request text). */
  onEvent?: (event: Record<string, unknown>) => void;
}

export const LOCAL_MODEL = 'facs-prosody-reasoner-1';

const elapsed = (t0: number) => Math.max(0, performance.now() - t0);

export class PriorService {
  readonly breaker: CircuitBreaker;
  readonly cache: LruCache<Prior>;
  private readonly inflight = new Map<string, Promise<Prior>>();
  private readonly upstream: PriorModel | null;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly batchDeadlineMs: number;
  private readonly secrets: string[];
  private readonly onEvent: (event: Record<string, unknown>) => void;

  constructor(options: PriorServiceOptions = {}) {
    this.upstream = options.upstream ?? null;
    this.timeoutMs = options.timeoutMs ?? 8000;
    this.breaker = new CircuitBreaker(options.breaker);
    this.cache = new LruCache<Prior>(options.cacheSize ?? 2048);
    this.concurrency = Math.max(1, options.concurrency ?? PRIOR_LIMITS.upstreamConcurrency);
    this.batchDeadlineMs = options.batchDeadlineMs ?? 2 * this.timeoutMs;
    this.secrets = (options.secrets ?? []).filter((s) => s.length >= 8);
    this.onEvent = options.onEvent ?? (() => {});
  }

  get provider(): 'gemini' | 'local' {
    return this.upstream ? 'gemini' : 'local';
  }

  get model(): string {
    return this.upstream?.model ?? LOCAL_MODEL;
  }

  /** The local reasoner's prior, with the rationale cleaned to the wire limits. */
  local(summary: SegmentSummary, t0 = performance.now()): Prior {
    const prior = reason(summary);
    return { ...prior, rationale: cleanRationale(prior.rationale), model: LOCAL_MODEL, latencyMs: elapsed(t0) };
  }

  /** One prior; `deadline` (performance.now() ms) bounds the upstream wait, e.g. shared by a whole batch. */
  async prior(request: PriorRequest, deadline = performance.now() + this.timeoutMs): Promise<Prior> {
    const t0 = performance.now();
    const summary = normaliseSummary(request.summary as SegmentSummary);
    if (!this.upstream) return this.local(summary, t0);
    const media = request.consent?.media ? request.media : undefined;
    const key = summaryKey(summary) + (media ? `:${createHash('sha256').update(JSON.stringify(media)).digest('hex')}` : '');
    const cached = this.cache.get(key);
    if (cached) return { ...cached, latencyMs: elapsed(t0) };
    const pending = this.inflight.get(key);
    if (pending) return pending.then((p) => ({ ...p, latencyMs: elapsed(t0) }));
    const job = this.fromUpstream(this.upstream, summary, media, key, t0, deadline).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  /**
   * Priors for a batch in order, at most `concurrency` upstream calls at a time. The batch shares one deadline
   * (`batchDeadlineMs`), so a slow upstream cannot hold a request for rounds × timeoutMs; segments it did not reach
   * are answered locally. (A hanging upstream is cut sooner by the breaker.)
   */
  async priors(requests: PriorRequest[]): Promise<Prior[]> {
    const deadline = performance.now() + this.batchDeadlineMs;
    const out = new Array<Prior>(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        out[i] = await this.prior(requests[i], deadline);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, requests.length) }, worker));
    return out;
  }

  private async fromUpstream(
    upstream: PriorModel,
    summary: SegmentSummary,
    media: PriorRequest['media'],
    key: string,
    t0: number,
    deadline: number,
  ): Promise<Prior> {
    const budgetMs = Math.min(this.timeoutMs, deadline - performance.now());
    if (budgetMs < 1 || !this.breaker.tryAcquire()) return this.local(summary, t0);
    try {
      const raw = await this.withDeadline(budgetMs, (signal) => upstream.generate(summary, media, signal));
      const prior = priorFromModelAnswer(raw, summary, { model: upstream.model, latencyMs: elapsed(t0), source: 'gemini' });
      if (!prior) throw new UpstreamError('schema');
      if (leaksInstructions(prior.rationale) || this.secrets.some((s) => prior.rationale.includes(s))) {
        throw new UpstreamError('leak');
      }
      this.breaker.success();
      this.cache.set(key, prior);
      return prior;
    } catch (error) {
      this.breaker.failure();
      const code = error instanceof UpstreamError ? error.code : 'internal';
      this.onEvent({ event: 'upstream_failure', code, breaker: this.breaker.state });
      return this.local(summary, t0);
    }
  }

  private async withDeadline<T>(budgetMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new UpstreamError('timeout'));
      }, budgetMs);
    });
    try {
      return await Promise.race([call(controller.signal), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
