import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.e2e.ts'],
    globalSetup: ['src/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A poll waits for what a real browser does next (a panel booting, an argon2 login, a socket's hello):
    // vitest's 1 s default was too little on a 2-core machine right after a voice journey (CI caught it).
    expect: { poll: { timeout: 5_000 } },
    // One Chromium at a time on a 2-core machine.
    fileParallelism: false,
  },
});
