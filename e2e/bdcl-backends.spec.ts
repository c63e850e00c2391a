import { expect, test } from '@playwright/test';

/**
 * BDCL fine-tuning gradients agree across tfjs backends in Chromium (--enable-unsafe-webgpu, project
 * chromium-webgpu): one step's loss and global gradient norm on webgpu, wasm and cpu from identical weights.
 * The cpu-vs-wasm comparison also runs in Node (src/training/train-step.test.ts).
 */
test('BDCL loss and gradient norm agree on webgpu, wasm and cpu to 1e-4', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/scripts/fusion/backend-check.html');
  await page.waitForFunction(() => 'bdclBackendCheck' in window, null, { timeout: 60_000 });
  const results = await page.evaluate(
    () => (window as unknown as { bdclBackendCheck: Promise<{ requested: string; backend: string; loss: number; gradNorm: number; numTensorsLeaked: number; error?: string }[]> }).bdclBackendCheck,
  );
  console.log(JSON.stringify(results));
  for (const r of results) {
    expect(r.error, `${r.requested}: ${r.error}`).toBeUndefined();
    expect(r.backend, `requested ${r.requested}`).toBe(r.requested);
    expect(Number.isFinite(r.loss) && r.gradNorm > 0).toBe(true);
    expect(r.numTensorsLeaked).toBe(0);
  }
  const [webgpu, wasm, cpu] = results;
  for (const [a, b] of [[webgpu, cpu], [wasm, cpu], [webgpu, wasm]]) {
    expect(Math.abs(a.loss - b.loss), `${a.backend} vs ${b.backend} loss`).toBeLessThan(1e-4);
    expect(Math.abs(a.gradNorm - b.gradNorm), `${a.backend} vs ${b.backend} grad norm`).toBeLessThan(1e-4);
  }
});
