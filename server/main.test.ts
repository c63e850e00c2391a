/** `npm run proxy` end to end: the real entry point in a child process, with a fake Gemini and a fake key. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from './testing/fake-gemini';

const FAKE_KEY = 'AIzaMAIN-entry-key-0123456789xyz';
let child: ChildProcess | undefined;
let fake: FakeGemini | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child!.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
  await fake?.close();
});

describe('server/main.ts', () => {
  it('listens on --port, answers from Gemini and keeps the key out of its output', async () => {
    fake = await startFakeGemini('ok');
    const root = resolve(import.meta.dirname, '..');
    child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), 'server/main.ts', '--port', '0'], {
      cwd: root,
      env: { ...process.env, GEMINI_API_KEY: FAKE_KEY, GEMINI_MODEL: 'gemini-main', GEMINI_BASE_URL: fake.url, PROXY_PORT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line: ${output}`)), 20_000);
      child!.stdout!.on('data', () => {
        const match = /"event":"listening","url":"([^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(match[1]);
        }
      });
    });
    const health = (await (await fetch(`${url}/api/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, provider: 'gemini', model: 'gemini-main', breaker: 'closed' });
    const res = await fetch(`${url}/api/prior`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ summary: { start: 0, end: 1, face: { presence: 1, auMean: { AU12: 0.9 } } } }),
    });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ source: 'gemini', model: 'gemini-main' });
    expect(fake.calls.at(-1)!.apiKeyHeader).toBe(FAKE_KEY);
    await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('"path":"/api/prior","status":200');
    expect(output + text).not.toContain(FAKE_KEY);
  });
});
