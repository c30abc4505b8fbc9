import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests that start PostgreSQL or servers each take their own ports and data dirs; two cores here.
    maxWorkers: 2,
    // A real PostgreSQL for tests that ask for one (electron/stack/db/testing/test-database.ts):
    // TEST_DATABASE_URL, or one embedded server per run, started lazily and stopped here.
    globalSetup: ['electron/stack/db/testing/global-setup.ts'],
  },
});
