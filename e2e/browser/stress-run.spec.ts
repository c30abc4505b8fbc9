import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';

test.setTimeout(120_000);

test('a short governed run from the Stress page: progress, verdict, then in History', async ({ page, panel }) => {
  await panel('stress');
  await expect(page.locator('[data-page="stress"]')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.getByTestId('profile-select').selectOption('light');
  await page.getByTestId('mode-governed').click();
  await page.getByTestId('duration-input').fill('6');
  await page.getByTestId('start-run').click();

  await expect(page.locator('[data-page="stress"]')).toHaveAttribute('data-running', 'true');
  await expect(page.getByTestId('run-progress')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/stress-running.png', fullPage: true });

  const verdict = page.getByTestId('run-verdict');
  await expect(verdict).toBeVisible({ timeout: 90_000 });
  await expect(verdict).toHaveText('held');
  await page.screenshot({ path: 'test-results/screenshots/stress-finished.png', fullPage: true });

  await page.getByText('open in History').click();
  await expect(page.locator('[data-page="history"]')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('run-detail')).toBeVisible();
  await expect(page.getByTestId('runs-table')).toContainText('light');

  // Export the run as a self-contained HTML report, then delete it (after the confirmation).
  const row = page.locator('[data-run-id]').first();
  const runId = await row.getAttribute('data-run-id');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByTestId('export-html').click()]);
  expect(download.suggestedFilename()).toMatch(/^bulkhead-light-governed-run-.*\.html$/);
  const html = readFileSync((await download.path())!, 'utf8');
  expect(html).toContain('<!doctype html>');
  expect(html).toContain('<svg ');
  expect(html).not.toMatch(/\b(src|href)\s*=|<script|<link/i);
  await row.getByTestId('delete-run').click();
  await row.getByTestId('confirm-delete').click();
  await expect(page.locator(`[data-run-id="${runId}"]`)).toHaveCount(0);
});

test('the doctor diagnoses the embedded database step by step', async ({ page, panel }) => {
  await panel('doctor');
  await page.getByTestId('doctor-run').click();
  const verdict = page.getByTestId('doctor-verdict');
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  const steps = page.getByTestId('doctor-steps');
  for (const title of ['TCP', 'TLS', 'Authentication', 'Database', 'Latency']) await expect(steps).toContainText(title);
  await page.screenshot({ path: 'test-results/screenshots/doctor-run.png', fullPage: true });
});
