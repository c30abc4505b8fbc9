import { expect, test } from './fixtures';

test.setTimeout(90_000);

test('a run starts from a fresh Stress page in a few Tab presses: skip link, heading, form', async ({ page, panel }) => {
  await panel('stress');
  const root = page.locator('[data-page="stress"]');
  await expect(root).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(page).toHaveTitle('Stress — Bulkhead');
  // A fresh data dir starts on light, not on a heavy run.
  await expect(page.getByTestId('profile-select')).toHaveValue('light');

  let tabs = 0;
  const tab = async (): Promise<void> => {
    await page.keyboard.press('Tab');
    tabs += 1;
  };
  const tabTo = async (testId: string): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      if (await page.getByTestId(testId).evaluate((element) => element === document.activeElement)) return;
      await tab();
    }
    throw new Error(`${testId} never got the focus`);
  };

  await tab();
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('h1')).toBeFocused();
  await tabTo('duration-input');
  await page.keyboard.type('4');
  await tabTo('start-run');
  await page.keyboard.press('Enter');

  await expect(root).toHaveAttribute('data-running', 'true');
  expect(tabs).toBeLessThanOrEqual(8);
  await page.getByTestId('stop-run').click();
  await expect(root).not.toHaveAttribute('data-running', 'true', { timeout: 30_000 });
});

test('navigating moves focus to the page heading and sets the page title', async ({ page, panel }) => {
  await panel('overview');
  await expect(page).toHaveTitle('Overview — Bulkhead');
  await page.locator('nav.sidebar a[href="#/limiters"]').focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-page="limiters"] h1')).toBeFocused();
  await expect(page).toHaveTitle('Limiters — Bulkhead');
});

test('charts show values at the cursor, zoom on a drag and reset', async ({ page, panel }) => {
  await panel('overview');
  await expect(page.locator('[data-page="overview"]')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  const chart = page.getByTestId('chart-memory');
  // Enough points to zoom into.
  await expect.poll(async () => (await chart.locator('.u-legend .u-value').first().textContent()) ?? '', { timeout: 15_000 }).toMatch(/\d/);
  const plot = chart.locator('.u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(chart.locator('.u-legend .u-value').nth(1)).toHaveText(/^\d[\d.,]* MB$/);

  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.95, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(chart).toHaveAttribute('data-zoomed', 'true');
  await page.getByTestId('chart-memory-reset-zoom').click();
  await expect(chart).not.toHaveAttribute('data-zoomed', 'true');
});
