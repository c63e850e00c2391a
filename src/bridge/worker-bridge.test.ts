import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import type { Progress } from '../shared/types';
import { WorkerBridge } from './worker-bridge';

/** The far side of the bridge: a real comlink endpoint on a MessageChannel, standing in for a Worker. */
function fakeWorker(log: string[]) {
  const { port1, port2 } = new MessageChannel();
  const api = {
    inits: 0,
    async init() {
      api.inits++;
      log.push('init');
    },
    async slow(ms: number, progress?: (p: Progress) => void) {
      progress?.({ stage: 'slow', fraction: 0.5 });
      await new Promise((r) => setTimeout(r, ms));
      return 'done';
    },
  };
  Comlink.expose(api, port2);
  const worker = Object.assign(port1, {
    terminate() {
      log.push('terminate');
      port1.close();
      port2.close();
    },
  });
  return worker as unknown as Worker;
}

type Api = { init(): Promise<void>; slow(ms: number, progress?: (p: Progress) => void): Promise<string> };

function bridge(log: string[]) {
  return new WorkerBridge<Api>({ create: () => fakeWorker(log), onStart: (remote) => remote.init() });
}

describe('WorkerBridge', () => {
  it('starts lazily, runs onStart once, and relays progress', async () => {
    const log: string[] = [];
    const b = bridge(log);
    expect(b.running).toBe(false);
    const seen: Progress[] = [];
    const out = await b.call((w, progress) => w.slow(5, progress), { onProgress: (p) => seen.push(p) });
    expect(out).toBe('done');
    expect(await b.call((w) => w.slow(1))).toBe('done');
    expect(log.filter((l) => l === 'init')).toHaveLength(1);
    expect(seen).toEqual([{ stage: 'slow', fraction: 0.5 }]);
    b.terminate();
  });

  it('aborting terminates the worker, rejects with AbortError, and the next call restarts it', async () => {
    const log: string[] = [];
    const b = bridge(log);
    const controller = new AbortController();
    const pending = b.call((w) => w.slow(10_000), { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toContain('terminate');
    expect(await b.call((w) => w.slow(1))).toBe('done');
    expect(log.filter((l) => l === 'init')).toHaveLength(2);
    expect(b.restarts).toBe(1);
    b.terminate();
  });

  it('rejects calls in flight when the worker is terminated, instead of leaving them pending', async () => {
    const b = bridge([]);
    const pending = b.call((w) => w.slow(10_000));
    await new Promise((r) => setTimeout(r, 20));
    b.terminate();
    await expect(pending).rejects.toThrow('Worker terminated');
    expect(await b.call((w) => w.slow(1))).toBe('done');
    b.terminate();
  });

  it('refuses an already-aborted signal without starting a worker', async () => {
    const log: string[] = [];
    const b = bridge(log);
    const controller = new AbortController();
    controller.abort();
    await expect(b.call((w) => w.slow(1), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(log).toEqual([]);
  });
});
