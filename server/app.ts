/**
 * HTTP face of the prior proxy (Hono 4). `createApp` is a pure factory (no listening, no env reads) so tests and the
 * benchmark can build as many instances as they like; `startServer` listens with @hono/node-server.
 * API and security properties: server/README.md.
 */
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { PriorBatchRequestSchema, PriorRequestSchema, mediaConsentError, type PriorRequest } from '../src/priors/schema';
import type { BreakerOptions } from './breaker';
import { createGeminiModel, type GeminiConfig, type PriorModel } from './gemini';
import { TokenBucketLimiter, type RateLimitOptions } from './rate-limit';
import { PriorService } from './service';

export const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];
/** Default body limit: a full batch of summaries, or one segment with 4 keyframes and audio. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface AppOptions {
  /** Gemini settings; null/absent (no key) → local reasoner only. */
  gemini?: GeminiConfig | null;
  /** Injected upstream instead of Gemini (tests, benchmarks). Takes precedence over `gemini`. */
  upstream?: PriorModel | null;
  /** Browser origins allowed to call the API (CORS). Default DEFAULT_ALLOWED_ORIGINS; same-origin is always allowed. */
  allowedOrigins?: string[];
  /** Request body limit in bytes (413 above). Default 2 MiB. */
  maxBodyBytes?: number;
  rateLimit?: RateLimitOptions;
  breaker?: BreakerOptions;
  cacheSize?: number;
  /** Parallel upstream calls per batch. Default 8. */
  concurrency?: number;
  /** Upstream budget of one batch request in ms. Default 2 × the Gemini timeout. */
  batchDeadlineMs?: number;
  /** Milliseconds clock for uptime, rate limiting and the breaker. Default Date.now. */
  now?: () => number;
  /** Log sink, one JSON line per call. Default console.log. Lines are redacted of the API key. */
  log?: (line: string) => void;
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). Default false. */
  trustProxy?: boolean;
}

export interface PriorApp {
  app: Hono;
  service: PriorService;
}

type ErrorCode =
  | 'bad_request' | 'invalid_json' | 'invalid_body' | 'media_without_consent' | 'unsupported_media_type'
  | 'payload_too_large' | 'rate_limited' | 'origin_not_allowed' | 'not_found' | 'method_not_allowed' | 'internal';

const errorBody = (code: ErrorCode, message: string) => ({ error: { code, message } });

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return `${issues.join('; ')}${more}`.slice(0, 500);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createApp(options: AppOptions = {}): PriorApp {
  const now = options.now ?? Date.now;
  const startedMs = now();
  const apiKey = options.gemini?.apiKey ?? '';
  const redact = (line: string) => (apiKey.length >= 8 ? line.split(apiKey).join('[redacted]') : line);
  const sink = options.log ?? ((line: string) => console.log(line));
  const log = (event: Record<string, unknown>) => sink(redact(JSON.stringify({ t: new Date(now()).toISOString(), ...event })));

  const upstream = options.upstream !== undefined ? options.upstream : options.gemini?.apiKey ? createGeminiModel(options.gemini) : null;
  const service = new PriorService({
    upstream,
    timeoutMs: options.gemini?.timeoutMs,
    breaker: { now, ...options.breaker },
    cacheSize: options.cacheSize,
    concurrency: options.concurrency,
    batchDeadlineMs: options.batchDeadlineMs,
    secrets: apiKey ? [apiKey] : [],
    onEvent: log,
  });
  const limiter = new TokenBucketLimiter({ now, ...options.rateLimit });
  const allowed = new Set(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS);
  const allowedHosts = new Set([...LOOPBACK_HOSTS, ...[...allowed].flatMap((o) => safeHostname(o) ?? [])]);

  /** Same-origin means Origin = this server's own origin, on a host we serve (a rebinding domain is not one). */
  const isSameOrigin = (c: Context, origin: string) => {
    const self = safeUrl(c.req.url);
    return Boolean(self && self.origin === origin && allowedHosts.has(self.hostname));
  };
  const originAllowed = (c: Context, origin: string) => allowed.has(origin) || isSameOrigin(c, origin);

  const clientId = (c: Context) => {
    if (options.trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded.slice(0, 64);
    }
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      return 'unknown';
    }
  };

  const app = new Hono();

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'no-store');
    log({ method: c.req.method, path: c.req.path.slice(0, 100), status: c.res.status, ms: +(performance.now() - t0).toFixed(1) });
  });

  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !originAllowed(c, origin)) return c.json(errorBody('origin_not_allowed', 'origin not allowed'), 403);
    await next();
  });
  app.use(
    '/api/*',
    cors({
      origin: (origin, c) => (originAllowed(c, origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['content-type'],
      maxAge: 600,
    }),
  );

  app.get('/api/health', (c) =>
    c.json({
      ok: true,
      provider: service.provider,
      model: service.model,
      breaker: service.breaker.state,
      uptimeS: Math.round((now() - startedMs) / 1000),
    }),
  );

  app.post(
    '/api/prior',
    async (c, next) => {
      const waitS = limiter.take(clientId(c));
      if (waitS > 0) {
        c.header('retry-after', String(Math.ceil(waitS)));
        return c.json(errorBody('rate_limited', 'too many requests, slow down'), 429);
      }
      await next();
    },
    bodyLimit({
      maxSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      onError: (c) => {
        // The rest of the body is left unread, so this connection cannot carry another request.
        c.header('connection', 'close');
        return c.json(errorBody('payload_too_large', `body exceeds ${options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes`), 413);
      },
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        return c.json(errorBody('unsupported_media_type', 'content-type must be application/json'), 415);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return c.json(errorBody('invalid_json', 'body is not valid JSON'), 400);
      }
      const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'segments' in body;
      const parsed = isBatch ? PriorBatchRequestSchema.safeParse(body) : PriorRequestSchema.safeParse(body);
      if (!parsed.success) return c.json(errorBody('invalid_body', describeIssues(parsed.error)), 400);
      const requests: PriorRequest[] = 'segments' in parsed.data ? parsed.data.segments : [parsed.data];
      for (const [i, request] of requests.entries()) {
        const refusal = mediaConsentError(request);
        if (refusal) return c.json(errorBody('media_without_consent', isBatch ? `segments.${i}: ${refusal}` : refusal), 400);
      }
      const priors = await service.priors(requests);
      log({ event: 'priors', n: priors.length, sources: priors.map((p) => p.source).join(','), breaker: service.breaker.state });
      return isBatch ? c.json({ priors }) : c.json(priors[0]);
    },
  );
  app.all('/api/prior', (c) => c.json(errorBody('method_not_allowed', 'use POST'), 405));
  app.all('/api/health', (c) => c.json(errorBody('method_not_allowed', 'use GET'), 405));

  app.notFound((c) => c.json(errorBody('not_found', 'not found'), 404));
  app.onError((error, c) => {
    log({ event: 'error', name: error.name });
    return c.json(errorBody('internal', 'internal error'), 500);
  });
  return { app, service };
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
function safeHostname(origin: string): string | null {
  return safeUrl(origin)?.hostname ?? null;
}

export interface RunningServer {
  url: string;
  port: number;
  service: PriorService;
  close(): Promise<void>;
}

/** Listens on hostname:port (port 0 = any free port) and resolves once bound. */
export function startServer(options: AppOptions & { port?: number; hostname?: string } = {}): Promise<RunningServer> {
  const { app, service } = createApp(options);
  const hostname = options.hostname ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname }, (info: AddressInfo) => {
      resolve({
        url: `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${info.port}`,
        port: info.port,
        service,
        close: () =>
          new Promise<void>((done) => {
            if ('closeAllConnections' in server!) server.closeAllConnections();
            server!.close(() => done());
          }),
      });
    });
    server.once('error', reject);
  });
}
