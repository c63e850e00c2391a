import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker';
import { loadConfig } from './config';
import { TokenBucketLimiter } from './rate-limit';

describe('CircuitBreaker', () => {
  it('opens after the threshold, admits one trial when half-open, and closes on success', () => {
    let t = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 100, now: () => t });
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed');
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.tryAcquire()).toBe(true);
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    t = 100;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.failure();
    expect(breaker.state).toBe('open');
    t = 200;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });
});

describe('TokenBucketLimiter', () => {
  it('allows a burst, then refills at the configured rate, per client', () => {
    let t = 0;
    const limiter = new TokenBucketLimiter({ burst: 2, perSecond: 1, now: () => t });
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBeCloseTo(1, 6);
    expect(limiter.take('b')).toBe(0);
    t = 500;
    expect(limiter.take('a')).toBeCloseTo(0.5, 6);
    t = 1000;
    expect(limiter.take('a')).toBe(0);
  });
  it('caps the number of tracked clients', () => {
    const limiter = new TokenBucketLimiter({ maxClients: 10 });
    for (let i = 0; i < 100; i++) limiter.take(`10.0.0.${i}`);
    expect(limiter.clients).toBe(10);
  });
});

describe('loadConfig', () => {
  it('defaults to the local provider on 127.0.0.1:8787', () => {
    const config = loadConfig({}, []);
    expect(config).toMatchObject({ port: 8787, hostname: '127.0.0.1', gemini: null });
    expect(config.allowedOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
  });
  it('reads Gemini settings, limits and --port', () => {
    const config = loadConfig(
      { GEMINI_API_KEY: ' k ', GEMINI_MODEL: 'gemini-x', GEMINI_BASE_URL: 'http://127.0.0.1:9', PROXY_PORT: '1234', ALLOWED_ORIGINS: 'https://a.example, https://b.example', RATE_LIMIT_BURST: '5' },
      ['--port', '4321'],
    );
    expect(config.port).toBe(4321);
    expect(config.gemini).toMatchObject({ apiKey: 'k', model: 'gemini-x', baseUrl: 'http://127.0.0.1:9', timeoutMs: 8000 });
    expect(config.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.rateLimit?.burst).toBe(5);
    expect(loadConfig({ PROXY_PORT: '1234' }, ['--port=99']).port).toBe(99);
  });
  it('fails loudly on bad values', () => {
    expect(() => loadConfig({ PROXY_PORT: 'abc' }, [])).toThrow(/PROXY_PORT/);
    expect(() => loadConfig({ GEMINI_API_KEY: 'k', GEMINI_BASE_URL: 'file:///etc' }, [])).toThrow(/GEMINI_BASE_URL/);
    expect(() => loadConfig({ RATE_LIMIT_PER_SEC: '-1' }, [])).toThrow(/RATE_LIMIT_PER_SEC/);
  });
});
