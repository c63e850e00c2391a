/**
 * JS heap of the page and of its dedicated workers after a forced garbage collection, over the Chrome DevTools
 * Protocol: HeapProfiler.collectGarbage then Runtime.getHeapUsage, sent to each worker target through the
 * browser-level session (Target.attachToTarget + sendMessageToTarget, since workers have no performance.memory).
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

interface TargetInfo {
  targetId: string;
  type: string;
  title: string;
  url: string;
}

export interface HeapSampler {
  /** Used JS heap in bytes of the page after GC. */
  page(): Promise<number>;
  /** Used JS heap in bytes after GC of the first worker whose URL or name contains `match`, or null. */
  worker(match: string): Promise<number | null>;
  close(): Promise<void>;
}

export async function heapSampler(browser: Browser, page: Page): Promise<HeapSampler> {
  const pageSession = await page.context().newCDPSession(page);
  const browserSession: CDPSession = await browser.newBrowserCDPSession();
  // Dedicated workers are listed by Target.getTargets only with target discovery on.
  await browserSession.send('Target.setDiscoverTargets', { discover: true });
  const attached = new Map<string, string>(); // targetId → sessionId
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  browserSession.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined && pending.has(message.id)) {
      pending.get(message.id)!(message.result ?? { error: message.error });
      pending.delete(message.id);
    }
  });
  const sendToTarget = (sessionId: string, method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, 5_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      void browserSession.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) }).catch(reject);
    });
  return {
    async page() {
      await pageSession.send('HeapProfiler.collectGarbage');
      const usage = (await pageSession.send('Runtime.getHeapUsage')) as { usedSize: number };
      return usage.usedSize;
    },
    async worker(match: string) {
      const { targetInfos } = (await browserSession.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
      const target = targetInfos.find((t) => t.type === 'worker' && (t.url.includes(match) || t.title.includes(match)));
      if (!target) return null;
      let sessionId = attached.get(target.targetId);
      if (!sessionId) {
        ({ sessionId } = (await browserSession.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string });
        attached.set(target.targetId, sessionId);
      }
      try {
        await sendToTarget(sessionId, 'HeapProfiler.collectGarbage');
        const usage = (await sendToTarget(sessionId, 'Runtime.getHeapUsage')) as { usedSize?: number };
        return usage.usedSize ?? null;
      } catch (err) {
        attached.delete(target.targetId); // re-attach next time
        throw err;
      }
    },
    async close() {
      await pageSession.detach().catch(() => undefined);
      await browserSession.detach().catch(() => undefined);
    },
  };
}
