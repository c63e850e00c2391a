import { describe, expect, it } from 'vitest';
import { chromiumArgs, freePort } from './browser';

describe('chromiumArgs', () => {
  it('always disables sandbox and background traffic, never --disable-gpu', () => {
    const args = chromiumArgs();
    expect(args).toEqual(expect.arrayContaining(['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']));
    expect(args).not.toContain('--disable-gpu');
    expect(args).not.toContain('--enable-unsafe-webgpu');
  });
  it('adds WebGPU and fake-media flags only when asked, with absolute file paths', () => {
    const args = chromiumArgs({ webgpu: true, fakeVideo: 'cam.y4m', fakeAudio: '/tmp/mic.wav' });
    expect(args).toContain('--enable-unsafe-webgpu');
    expect(args).toEqual(expect.arrayContaining(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--use-file-for-fake-audio-capture=/tmp/mic.wav']));
    expect(args.find((a) => a.startsWith('--use-file-for-fake-video-capture='))).toMatch(/^--use-file-for-fake-video-capture=\/.+\/cam\.y4m$/);
  });
});

describe('freePort', () => {
  it('returns a usable TCP port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
  });
});
