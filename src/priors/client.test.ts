import { describe, expect, it, vi } from 'vitest';
import type { Prior, SegmentSummary } from '../shared/types';
import { createPriorClient } from './client';
import { reason } from './reasoner';

const summary = (start: number): SegmentSummary => ({ start, end: start + 1, face: { presence: 1, auMean: { AU6: 0.6, AU12: 0.8 } } });
const geminiPrior = (s: SegmentSummary): Prior => ({ ...reason(s), source: 'gemini', model: 'fake', rationale: `gemini ${s.start}` });

/** A fetch that answers batch calls like the proxy and records them. */
function proxyFetch(answer: (body: { segments: { summary: SegmentSummary }[] }) => Response | Promise<Response>) {
  const calls: { segments: { summary: SegmentSummary }[] }[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { segments: { summary: SegmentSummary }[] };
    calls.push(body);
    return answer(body);
  });
  return { calls, fetchImpl: fetchImpl as unknown as typeof fetch };
}
const okBatch = (body: { segments: { summary: SegmentSummary }[] }) =>
  Response.json({ priors: body.segments.map((s) => geminiPrior(s.summary)) });

describe('prior client', () => {
  it("returns null in 'off' mode and the local reasoner in 'local' mode without fetching", async () => {
    const { fetchImpl, calls } = proxyFetch(okBatch);
    expect(await createPriorClient({ mode: 'off', fetchImpl }).prior(summary(0))).toBeNull();
    const local = await createPriorClient({ mode: 'local', fetchImpl }).prior(summary(0));
    expect(local).toMatchObject({ source: 'local', label: 'happy' });
    expect(calls).toHaveLength(0);
  });

  it('batches calls within the debounce window into one request and caches answers', async () => {
    const { fetchImpl, calls } = proxyFetch(okBatch);
    const client = createPriorClient({ mode: 'proxy', debounceMs: 20, fetchImpl });
    const priors = await Promise.all([client.prior(summary(0)), client.prior(summary(1)), client.prior(summary(0))]);
    expect(calls).toHaveLength(1);
    expect(calls[0].segments).toHaveLength(2);
    expect(priors.map((p) => p!.rationale)).toEqual(['gemini 0', 'gemini 1', 'gemini 0']);
    expect(priors.every((p) => p!.source === 'gemini')).toBe(true);
    await client.prior(summary(1));
    expect(calls).toHaveLength(1);
  });

  it('falls back to local on a slow proxy (timeout) and then skips the proxy for a while', async () => {
    let clock = 0;
    const { fetchImpl, calls } = proxyFetch(
      (body) => new Promise((resolve) => setTimeout(() => resolve(okBatch(body)), 500)),
    );
    const client = createPriorClient({ mode: 'proxy', debounceMs: 1, timeoutMs: 50, retryAfterMs: 1000, fetchImpl, now: () => clock });
    const t0 = performance.now();
    const slow = await client.prior(summary(0));
    expect(performance.now() - t0).toBeLessThan(400);
    expect(slow).toMatchObject({ source: 'local', label: 'happy' });
    expect((await client.prior(summary(1)))!.source).toBe('local');
    expect(calls).toHaveLength(1);
    clock = 2000;
    await client.prior(summary(2)).catch(() => null);
    expect(calls).toHaveLength(2);
  });

  it('falls back to local when the proxy is down or answers garbage, and does not cache the fallback', async () => {
    let mode: 'down' | 'garbage' | 'ok' = 'down';
    const { fetchImpl } = proxyFetch(async (body) => {
      if (mode === 'down') throw new TypeError('fetch failed');
      if (mode === 'garbage') return Response.json({ priors: [{ label: 'happy' }] });
      return okBatch(body);
    });
    const client = createPriorClient({ mode: 'proxy', debounceMs: 1, retryAfterMs: 0, fetchImpl });
    expect((await client.prior(summary(0)))!.source).toBe('local');
    mode = 'garbage';
    expect((await client.prior(summary(0)))!.source).toBe('local');
    mode = 'ok';
    expect((await client.prior(summary(0)))!.source).toBe('gemini');
  });

  it('answers invalid summaries locally without calling the proxy', async () => {
    const { fetchImpl, calls } = proxyFetch(okBatch);
    const client = createPriorClient({ mode: 'proxy', debounceMs: 1, fetchImpl });
    const prior = await client.prior({ start: 2, end: 1, face: { presence: 1, auMean: { AU12: 0.9 } } });
    expect(prior!.source).toBe('local');
    expect(calls).toHaveLength(0);
  });

  it('honours Retry-After on 429', async () => {
    let clock = 0;
    const { fetchImpl, calls } = proxyFetch(
      () => new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down' } }), { status: 429, headers: { 'retry-after': '3' } }),
    );
    const client = createPriorClient({ mode: 'proxy', debounceMs: 1, fetchImpl, now: () => clock });
    expect((await client.prior(summary(0)))!.source).toBe('local');
    clock = 2500;
    await client.prior(summary(1));
    expect(calls).toHaveLength(1);
    clock = 3100;
    await client.prior(summary(2));
    expect(calls).toHaveLength(2);
  });
});
