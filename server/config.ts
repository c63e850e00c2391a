/**
 * Reads the proxy's configuration from the environment and argv (pure: both are passed in). Documented in
 * server/README.md. Bad values throw with the variable's name, so `npm run proxy` fails loudly, not silently.
 */
import type { AppOptions } from './app';
import { DEFAULT_ALLOWED_ORIGINS, DEFAULT_MAX_BODY_BYTES } from './app';
import { DEFAULT_GEMINI_MODEL } from './gemini';

export interface ProxyConfig extends AppOptions {
  port: number;
  hostname: string;
}

function numberFrom(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}, got ${JSON.stringify(raw)}`);
  return value;
}

function argValue(argv: readonly string[], flag: string): string | undefined {
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(flag.length + 1) : argv[i + 1];
}

export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[]): ProxyConfig {
  const portArg = argValue(argv, '--port');
  const port = numberFrom({ ...env, ...(portArg !== undefined ? { PROXY_PORT: portArg } : {}) }, 'PROXY_PORT', 8787, 0);
  if (!Number.isInteger(port) || port > 65535) throw new Error(`PROXY_PORT/--port must be an integer port, got ${port}`);
  const apiKey = env.GEMINI_API_KEY?.trim();
  const baseUrl = env.GEMINI_BASE_URL?.trim() || undefined;
  if (baseUrl && !/^https?:\/\//.test(baseUrl)) throw new Error('GEMINI_BASE_URL must be an http(s) URL');
  return {
    port,
    hostname: argValue(argv, '--host') ?? env.PROXY_HOST ?? '127.0.0.1',
    gemini: apiKey
      ? {
          apiKey,
          model: env.GEMINI_MODEL?.trim() || DEFAULT_GEMINI_MODEL,
          baseUrl,
          timeoutMs: numberFrom(env, 'GEMINI_TIMEOUT_MS', 8000, 1),
        }
      : null,
    allowedOrigins: env.ALLOWED_ORIGINS
      ? env.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean)
      : DEFAULT_ALLOWED_ORIGINS,
    maxBodyBytes: numberFrom(env, 'MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1024),
    rateLimit: {
      burst: numberFrom(env, 'RATE_LIMIT_BURST', 120, 1),
      perSecond: numberFrom(env, 'RATE_LIMIT_PER_SEC', 4, 0.001),
    },
    breaker: {
      failureThreshold: numberFrom(env, 'BREAKER_FAILURES', 5, 1),
      cooldownMs: numberFrom(env, 'BREAKER_COOLDOWN_MS', 30_000, 0),
    },
    cacheSize: Math.floor(numberFrom(env, 'PRIOR_CACHE_SIZE', 2048, 0)),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
  };
}
