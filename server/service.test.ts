import { describe, expect, it } from 'vitest';
import type { SegmentSummary } from '../src/shared/types';
import type { PriorModel } from './gemini';
import { UpstreamError } from './gemini';
import { PriorService } from './service';
import { FAKE_ANSWER } from './testing/fake-gemini';

const KEY = 'AIzaSERVICE-secret-0123456789';
const summary = (start: number): SegmentSummary => ({ start, end: start + 1, face: { presence: 1, auMean: { AU12: 0.9, AU6: 0.5 } } });

function scriptedModel(answer: (call: number) => unknown): PriorModel & { calls: number } {
  const model = {
    model: 'scripted',
    calls: 0,
    async generate() {
      const result = answer(model.calls++);
      if (result instanceof Error) throw result;
      return result;
    },
  };
  return model;
}

describe('PriorService', () => {
  it('caches model answers in an LRU keyed by the normalised summary', async () => {
    const upstream = scriptedModel(() => FAKE_ANSWER);
    const service = new PriorService({ upstream, cacheSize: 2 });
    const first = await service.prior({ summary: summary(0) });
    expect(first.source).toBe('gemini');
    await service.prior({ summary: { ...summary(0), end: 1.00000001 } });
    expect(upstream.calls).toBe(1);
    await service.prior({ summary: summary(1) });
    await service.prior({ summary: summary(2) });
    await service.prior({ summary: summary(0) });
    expect(upstream.calls).toBe(4);
    expect(service.cache.size).toBe(2);
  });

  it('shares one upstream call between concurrent identical requests', async () => {
    const upstream = scriptedModel(() => FAKE_ANSWER);
    const service = new PriorService({ upstream });
    const priors = await Promise.all([1, 2, 3].map(() => service.prior({ summary: summary(7) })));
    expect(upstream.calls).toBe(1);
    expect(priors.every((p) => p.source === 'gemini')).toBe(true);
  });

  it('discards an answer that contains the key, even a short one', async () => {
    const events: Record<string, unknown>[] = [];
    const upstream = scriptedModel(() => ({ ...FAKE_ANSWER, rationale: `key=${KEY}` }));
    const service = new PriorService({ upstream, secrets: [KEY], onEvent: (e) => events.push(e) });
    const prior = await service.prior({ summary: summary(0) });
    expect(prior.source).toBe('local');
    expect(JSON.stringify(prior)).not.toContain(KEY);
    expect(events).toEqual([{ event: 'upstream_failure', code: 'leak', breaker: 'closed' }]);
  });

  it('does not cache fallbacks, so a recovered upstream is asked again', async () => {
    const upstream = scriptedModel((call) => (call === 0 ? new UpstreamError('http') : FAKE_ANSWER));
    const service = new PriorService({ upstream });
    expect((await service.prior({ summary: summary(3) })).source).toBe('local');
    expect((await service.prior({ summary: summary(3) })).source).toBe('gemini');
  });

  it('answers locally without an upstream and reports its provider', async () => {
    const service = new PriorService();
    expect(service.provider).toBe('local');
    expect(service.model).toBe('facs-prosody-reasoner-1');
    expect(await service.prior({ summary: summary(0) })).toMatchObject({ source: 'local', label: 'happy' });
  });
});
