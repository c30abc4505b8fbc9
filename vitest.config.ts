import { defineConfig } from 'vitest/config';

/**
 * Two projects: the stack, the CLI and `shared/` run on Node; the renderer's tests run in happy-dom (a DOM
 * without a browser) with Testing Library. Both share the timeouts and the two-worker cap.
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests that start PostgreSQL or servers each take their own ports and data dirs; two cores here.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.js'],
          environment: 'node',
          // This machine kind is itself a container (/.dockerenv): left to detect, a doctor that fails on
          // localhost would probe the machine's gateway and resolve compose names through its DNS. Tests
          // send traffic only to loopback and to addresses they create (the namespace suites clear this).
          env: { BULKHEAD_CONTAINER: 'no' },
          // A real PostgreSQL for tests that ask for one (electron/stack/db/testing/test-database.ts):
          // TEST_DATABASE_URL, or one embedded server per run, started lazily and stopped here.
          globalSetup: ['electron/stack/db/testing/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['renderer/src/testing/setup.ts'],
        },
      },
    ],
  },
});
