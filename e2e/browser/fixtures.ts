import { test as base, expect } from '@playwright/test';
import { startHostProcess, type HostProcess } from '../host-process';

/** Each test file gets its own host (port, data dir); each page opens the panel from its own fresh launch link. */
export const test = base.extend<{ panel: (hashPath?: string) => Promise<void> }, { host: HostProcess }>({
  host: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring to see fixture dependencies
    async ({}, use) => {
      const host = await startHostProcess();
      await use(host);
      const code = await host.stop();
      expect(code, `bulkhead serve should exit cleanly on SIGINT:\n${host.output()}`).toBe(0);
    },
    { scope: 'worker' },
  ],
  panel: async ({ page, host }, use) => {
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    await use(async (hashPath = 'overview') => {
      await page.goto(await host.newLink(hashPath === 'overview' ? undefined : hashPath));
      await expect(page.locator(`[data-page="${hashPath.split('?')[0]}"]`)).toBeVisible();
    });
    expect(consoleErrors, 'the page logged errors (CSP violations included)').toEqual([]);
  },
});

export { expect };
