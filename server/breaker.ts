/**
 * Circuit breaker around the upstream model (the classic closed → open → half-open cycle, Nygard, "Release It!",
 * 2007): after `failureThreshold` consecutive failures the upstream is skipped for `cooldownMs`; then one trial call
 * is let through, and its outcome closes or re-opens the circuit. The clock is injected for tests.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Milliseconds the circuit stays open before a trial call. Default 30 000. */
  cooldownMs?: number;
  /** Milliseconds since some epoch. Default Date.now. */
  now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private opened = false;
  private trialInFlight = false;
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
    if (!(this.failureThreshold >= 1)) throw new Error('CircuitBreaker: failureThreshold must be ≥ 1');
  }

  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /**
   * Whether a call may go upstream now. In half-open only one trial is admitted until it reports back;
   * the caller must then call `success()` or `failure()`.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.opened = false;
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.opened || this.failures >= this.failureThreshold) {
      this.opened = true;
      this.openedAt = this.now();
    }
  }
}
