/**
 * One BDCL fine-tune step with a CUSTOM 3-label head (the Teach view's case; e2e/bdcl-backends.spec.ts covers the
 * base 6-class network) gives the same loss and gradient norm on webgpu, wasm and cpu, in the fine-tune worker.
 */
import { expect, test } from '@playwright/test';

type Check = { requested: string; backend?: string; loss?: number; gradNorm?: number; numTensorsLeaked?: number; error?: string };

test('custom-head fine-tune step agrees on webgpu, wasm and cpu to 1e-4', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/#teach');
  await page.waitForFunction(() => 'emotionLensTeach' in globalThis, null, { timeout: 60_000 });
  const results = await page.evaluate(() => (globalThis as unknown as { emotionLensTeach: { backendCheck(): Promise<Check[]> } }).emotionLensTeach.backendCheck());
  console.log(JSON.stringify(results));
  for (const r of results) {
    expect(r.error, `${r.requested}: ${r.error}`).toBeUndefined();
    expect(r.backend).toBe(r.requested);
    expect(Number.isFinite(r.loss) && r.gradNorm! > 0).toBe(true);
    expect(r.numTensorsLeaked).toBe(0);
  }
  const [webgpu, wasm, cpu] = results;
  for (const [a, b] of [[webgpu, cpu], [wasm, cpu], [webgpu, wasm]]) {
    expect(Math.abs(a.loss! - b.loss!), `${a.backend} vs ${b.backend} loss`).toBeLessThan(1e-4);
    expect(Math.abs(a.gradNorm! - b.gradNorm!), `${a.backend} vs ${b.backend} grad norm`).toBeLessThan(1e-4);
  }
});
