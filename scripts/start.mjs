#!/usr/bin/env node
// `npm start`: verifies assets, then runs the prior proxy (server/) and the Vite dev server together.
// The app is at http://localhost:5173 (PORT), the proxy at 127.0.0.1:8787 (PROXY_PORT), reached through Vite's /api.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const children = [];
const run = (cmd, args) => {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  children.push(child);
  child.on('exit', (code) => {
    if (code && code !== 0) shutdown(code);
  });
  return child;
};
const shutdown = (code = 0) => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  process.exit(code);
};
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const assets = spawn(process.execPath, [join(root, 'scripts', 'copy-assets.mjs')], { cwd: root, stdio: 'inherit' });
assets.on('exit', (code) => {
  if (code !== 0) process.exit(code ?? 1);
  if (existsSync(join(root, 'server', 'main.ts'))) run(bin('tsx'), ['server/main.ts']);
  run(bin('vite'), ['--host', process.env.HOST ?? 'localhost', ...process.argv.slice(2)]);
});
