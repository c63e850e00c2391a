import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reason } from '../src/priors/reasoner';
import { summaryKey } from '../src/priors/summary';
import type { SegmentSummary } from '../src/shared/types';
import { startServer, type RunningServer } from './app';
import { fetchPriorsCached } from './prior-batch';
import { startFakeGemini, type FakeGemini } from './testing/fake-gemini';

const summaries: SegmentSummary[] = Array.from({ length: 40 }, (_, i) => ({
  start: i,
  end: i + 1,
  face: { presence: 1, auMean: { AU1: (i % 5) / 5, AU12: (i % 3) / 3 } },
}));
let dir: string;
let fake: FakeGemini;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'priors-'));
  fake = await startFakeGemini('ok');
  server = await startServer({
    port: 0,
    gemini: { apiKey: 'AIzaBATCH-key-abcdefghijk', model: 'gemini-batch', baseUrl: fake.url, timeoutMs: 10_000 },
    rateLimit: { burst: 1, perSecond: 20 },
    log: () => {},
  });
});
afterAll(async () => {
  await server.close();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fetchPriorsCached', () => {
  it('runs the local reasoner in-process and caches one JSON file per summary hash', async () => {
    const cacheDir = join(dir, 'local');
    const priors = await fetchPriorsCached([...summaries, summaries[0]], { cacheDir });
    expect(priors).toHaveLength(41);
    priors.slice(0, 40).forEach((p, i) => expect(p.scores).toEqual(reason(summaries[i]).scores));
    expect(priors[40]).toEqual(priors[0]);
    const files = await readdir(cacheDir);
    expect(files.sort()).toEqual(summaries.map((s) => `${summaryKey(s)}.json`).sort());
  });

  it('fetches through the proxy in batches, survives 429 and serves re-runs from disk', async () => {
    const cacheDir = join(dir, 'proxy');
    const url = `${server.url}/api/prior`;
    const progress: number[] = [];
    const priors = await fetchPriorsCached(summaries, { cacheDir, url, batchSize: 32, onProgress: (done) => progress.push(done) });
    expect(priors.every((p) => p.source === 'gemini' && p.model === 'gemini-batch')).toBe(true);
    expect(progress).toEqual([32, 40]);
    const calls = fake.calls.length;
    const again = await fetchPriorsCached(summaries, { cacheDir, url: 'http://127.0.0.1:9/unreachable' });
    expect(again).toEqual(priors);
    expect(fake.calls.length).toBe(calls);
  });

  it('recomputes cached local answers on request', async () => {
    const cacheDir = join(dir, 'refresh');
    await fetchPriorsCached(summaries.slice(0, 3), { cacheDir });
    await new Promise((r) => setTimeout(r, 300));
    const priors = await fetchPriorsCached(summaries.slice(0, 3), { cacheDir, url: `${server.url}/api/prior`, refreshLocal: true });
    expect(priors.map((p) => p.source)).toEqual(['gemini', 'gemini', 'gemini']);
  });

  it('reports a refused batch with the proxy message', async () => {
    await expect(
      fetchPriorsCached([{ start: 2, end: 1 }], { cacheDir: join(dir, 'bad'), url: `${server.url}/api/prior`, attempts: 5 }),
    ).rejects.toThrow(/refused the batch \(400\).*end/);
  });
});
