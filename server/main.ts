/**
 * `npm run proxy` — the prior proxy on PROXY_PORT (default 8787) or `--port N`. Configuration: server/README.md.
 * The Vite dev server forwards /api here, so the browser never sees the Gemini key.
 */
import { startServer } from './app';
import { loadConfig } from './config';

const config = loadConfig(process.env, process.argv.slice(2));
const server = await startServer(config);
const provider = server.service.provider === 'gemini' ? `gemini (${server.service.model})` : 'local reasoner (no GEMINI_API_KEY)';
console.log(JSON.stringify({ event: 'listening', url: server.url, provider }));

const shutdown = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
