/** Shared by the e2e specs that must see no uncaught error while a person uses the app. */
import type { Page } from '@playwright/test';

export interface Problems {
  errors: string[];
}

/**
 * Uncaught exceptions and console errors of the page and its workers (Playwright reports workers' console on the
 * page). Two known non-errors are left out: MediaPipe's wasm prints its stderr INFO lines through console.error,
 * and Chromium logs the missing /favicon.ico as a failed resource.
 */
export function watch(page: Page): Problems {
  const problems: Problems = { errors: [] };
  const failedUrls: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failedUrls.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (/^INFO: /.test(text)) return;
    if (text.startsWith('Failed to load resource') && failedUrls.length > 0 && failedUrls.every((u) => u.endsWith(' /favicon.ico'))) return;
    problems.errors.push(`console: ${text.slice(0, 300)}${text.startsWith('Failed to load resource') ? ` (${failedUrls.join(', ')})` : ''}`);
  });
  return problems;
}
