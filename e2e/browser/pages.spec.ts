import { expect, test } from './fixtures';

/**
 * Every page in the navigation opens, reaches its data-ready marker with live data, and logs no error
 * (CSP violations included). A screenshot of each is kept in test-results/screenshots/.
 */
const PAGES = ['overview', 'stress', 'history', 'regression', 'semaphores', 'limiters', 'pool', 'doctor', 'chaos', 'alerts', 'settings'];

test('the navigation lists every page', async ({ page, panel }) => {
  await panel('overview');
  const links = page.locator('nav.sidebar a');
  await expect(links).toHaveCount(PAGES.length);
  expect(await links.evaluateAll((anchors) => anchors.map((a) => (a.getAttribute('href') ?? '').replace('#/', '')))).toEqual(PAGES);
});

for (const path of PAGES) {
  test(`${path} page becomes ready`, async ({ page, panel }) => {
    await panel(path);
    await expect(page.locator(`[data-page="${path}"]`)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
    await page.screenshot({ path: `test-results/screenshots/${path}.png`, fullPage: true });
  });
}

test('the Pool page comes up on the embedded PostgreSQL with the corpus and live counts', async ({ page, panel }) => {
  await panel('pool');
  const root = page.locator('[data-page="pool"]');
  await expect(root).toHaveAttribute('data-db-state', 'ready', { timeout: 60_000 });
});
