/**
 * The one typed bridge between the UI and a comlink worker (after squoosh's WorkerBridge).
 * - The worker starts lazily; `onStart` re-initialises it after every (re)start.
 * - Every call may take an AbortSignal: aborting terminates the worker (stopping any work mid-step) and rejects
 *   with an AbortError; the next call starts a fresh worker.
 * - A crashed worker (error event) is restarted on the next call; `restarts` counts both.
 * - Progress callbacks cross the thread boundary through comlink.proxy.
 */
import * as Comlink from 'comlink';
import type { Progress } from '../shared/types';

export interface WorkerBridgeOptions<Api> {
  /** Creates the worker, e.g. `() => new Worker(new URL('../../workers/inference.worker.ts', import.meta.url), {type: 'module'})`. */
  create: () => Worker;
  /** Runs after each start, e.g. to pick the backend again. */
  onStart?: (remote: Comlink.Remote<Api>) => Promise<void>;
  /** Terminate after this long without calls (ms). 0 = never. Default 0. */
  idleTimeoutMs?: number;
  /** Told when a worker dies unexpectedly. */
  onCrash?: (reason: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}

export class WorkerBridge<Api> {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<Api> | null = null;
  private starting: Promise<Comlink.Remote<Api>> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private crashListeners = new Set<(e: Error) => void>();
  /** How many times a worker was replaced after abort or crash. */
  restarts = 0;

  constructor(private readonly options: WorkerBridgeOptions<Api>) {}

  private start(): Promise<Comlink.Remote<Api>> {
    if (this.remote) return Promise.resolve(this.remote);
    if (this.starting) return this.starting;
    this.starting = (async () => {
      const worker = this.options.create();
      const crashed = (event: ErrorEvent | MessageEvent) => {
        const reason = 'message' in event && event.message ? event.message : 'worker crashed';
        if (this.worker === worker) this.kill(`Worker failed: ${reason}`);
        this.options.onCrash?.(String(reason));
      };
      worker.addEventListener('error', crashed);
      worker.addEventListener('messageerror', crashed);
      this.worker = worker;
      const remote = Comlink.wrap<Api>(worker);
      try {
        await this.options.onStart?.(remote);
      } catch (err) {
        this.kill();
        throw err;
      }
      this.remote = remote;
      return remote;
    })().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  /** Terminates the worker; calls still in flight are rejected (they would otherwise wait forever). */
  private kill(reason = 'Worker terminated') {
    const hadWorker = this.worker !== null;
    this.worker?.terminate();
    if (this.remote) this.remote[Comlink.releaseProxy]();
    if (this.worker) this.restarts++;
    this.worker = null;
    this.remote = null;
    if (hadWorker) for (const listener of [...this.crashListeners]) listener(new Error(reason));
  }

  /**
   * Runs `fn` against the worker. Abort terminates the worker; a worker crash rejects the pending call.
   * @example const out = await bridge.call((w, progress) => w.train(data, progress), { signal, onProgress });
   */
  async call<T>(
    fn: (remote: Comlink.Remote<Api>, progress?: ((p: Progress) => void) & Comlink.ProxyMarked) => Promise<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw abortError();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const remote = await this.start();
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    let onAbort: (() => void) | undefined;
    let onCrash: ((e: Error) => void) | undefined;
    try {
      return await new Promise<T>((resolve, reject) => {
        onAbort = () => {
          reject(abortError());
          this.kill('Aborted');
        };
        onCrash = (e) => reject(e);
        signal?.addEventListener('abort', onAbort, { once: true });
        this.crashListeners.add(onCrash);
        fn(remote, progress).then(resolve, reject);
      });
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (onCrash) this.crashListeners.delete(onCrash);
      this.armIdleTimer();
    }
  }

  private armIdleTimer() {
    const ms = this.options.idleTimeoutMs ?? 0;
    if (ms > 0) this.idleTimer = setTimeout(() => this.kill(), ms);
  }

  /** Whether a worker is currently running. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Kills the worker now (it restarts on the next call). For fault tests and page teardown. */
  terminate(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.kill();
  }
}
