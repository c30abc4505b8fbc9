import { expect, test } from './fixtures';

test('the Overview page shows the runtime changing live', async ({ page, panel }) => {
  await panel('overview');
  const root = page.locator('[data-page="overview"]');
  await expect(root).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/);

  // Live: the heap reading and the event-loop reading must change between samples.
  const heap = page.getByTestId('stat-heap').locator('.stat-value');
  const first = await heap.textContent();
  await expect(heap).not.toHaveText(first ?? '');
  for (const id of ['stat-eld-p99', 'stat-cpu', 'stat-rss', 'stat-handles']) {
    await expect(page.getByTestId(id).locator('.stat-value')).not.toHaveText('—');
  }
  // Three charts drew on canvas.
  await expect(page.locator('[data-testid^="chart-"] canvas')).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('overview.png'), fullPage: true });
  await page.screenshot({ path: 'test-results/screenshots/overview.png', fullPage: true });
});
