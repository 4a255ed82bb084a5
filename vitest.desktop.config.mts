import { defineConfig } from 'vitest/config';

// `npm run test:desktop` only (scripts/test-desktop.mjs): the real Electron app, not part of npm test.
export default defineConfig({
  test: {
    include: ['test/desktop/**/*.desktop.ts'],
    pool: 'forks',
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
