/**
 * Per-client token bucket: each client holds up to `burst` tokens, refilled at `perSecond`; a request costs one.
 * Buckets of idle clients are dropped once full again, and the table is capped so a flood of addresses cannot
 * grow memory without bound.
 */
export interface RateLimitOptions {
  /** Bucket size (requests allowed in a burst). Default 120. */
  burst?: number;
  /** Tokens added per second. Default 4. */
  perSecond?: number;
  /** Most clients tracked at once. Default 10 000. */
  maxClients?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  readonly burst: number;
  readonly perSecond: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(options: RateLimitOptions = {}) {
    this.burst = options.burst ?? 120;
    this.perSecond = options.perSecond ?? 4;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
    if (!(this.burst >= 1) || !(this.perSecond > 0)) throw new Error('TokenBucketLimiter: burst must be ≥ 1 and perSecond > 0');
  }

  /** Takes one token for `client`; returns 0 when allowed, else the seconds until a token is available. */
  take(client: string): number {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (bucket) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.perSecond);
      bucket.updatedMs = now;
      this.buckets.delete(client);
    } else {
      bucket = { tokens: this.burst, updatedMs: now };
    }
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) this.evictOldest();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / this.perSecond;
  }

  /** Drops the least recently seen clients (the Map keeps recency order). */
  private evictOldest(): void {
    while (this.buckets.size > this.maxClients) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
  }

  get clients(): number {
    return this.buckets.size;
  }
}
