/**
 * Flags every headless Chromium run needs here (Playwright e2e and the scripts' launcher): no sandbox as root, no
 * background traffic to unreachable Google hosts, /tmp instead of /dev/shm for shared memory.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const BASE_CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
