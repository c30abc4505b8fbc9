import { defineConfig } from '@playwright/test';

/**
 * e2e: the browser project drives Debian Chromium against `bulkhead serve` (each test file gets its own
 * host, port and data dir from e2e/fixtures.ts); the electron project launches the desktop app where
 * its binary exists and reports itself skipped elsewhere.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      name: 'browser',
      testDir: 'e2e/browser',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.BULKHEAD_CHROMIUM ?? '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        },
      },
    },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
