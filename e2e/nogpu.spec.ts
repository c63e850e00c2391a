import { expect, test } from '@playwright/test';

test('without --enable-unsafe-webgpu the worker falls back to wasm and says so', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('#backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
  await expect(page.locator('#notices [data-key="backend"]')).toContainText('WebGPU is not available');
  await page.click('#live-start');
  await expect(page.locator('#face-status')).toContainText('face found', { timeout: 60_000 });
  await expect(page.locator('#emotion-label')).not.toHaveText('—', { timeout: 30_000 });
});
