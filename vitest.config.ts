import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    // Browser tests run whole conversations in Chromium; on a loaded 2-core CI machine they need room.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Browser and server tests start real processes; two cores do not like many at once.
    maxWorkers: 2,
  },
});
