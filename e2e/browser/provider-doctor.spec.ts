import { expect, test } from './fixtures';

/** Doctor page, Provider section: the built-in simulator passes step by step; a closed port names TCP and its fix. */
test('the provider doctor runs from the Doctor page, step by step', async ({ page, panel }) => {
  await panel('doctor');
  const section = page.getByTestId('provider-doctor');
  await expect(section.getByTestId('provider-doctor-provider')).toHaveValue('simulator');
  await section.getByTestId('provider-doctor-run').click();
  const verdict = section.getByTestId('provider-doctor-verdict');
  await expect(verdict).toHaveAttribute('data-ok', 'true', { timeout: 20_000 });
  const steps = section.getByTestId('provider-doctor-steps');
  await expect(steps.locator('[data-step]')).toHaveCount(11);
  await expect(steps.locator('[data-step="auth"]')).toHaveAttribute('data-status', 'pass');
  await expect(steps.locator('[data-step="limits"]')).toHaveAttribute('data-status', 'pass');
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/provider-doctor-simulator.png', fullPage: true });

  await section.getByTestId('provider-doctor-provider').selectOption('openai');
  await section.getByTestId('provider-doctor-url').fill('http://127.0.0.1:1/v1');
  await section.getByTestId('provider-doctor-run').click();
  await expect(verdict).toHaveAttribute('data-ok', 'false', { timeout: 20_000 });
  await expect(steps.locator('[data-step="tcp"]')).toHaveAttribute('data-status', 'fail');
  // No key is configured for this host: the key step says so, and the network steps still ran.
  await expect(steps.locator('[data-step="key"]')).toHaveAttribute('data-status', 'fail');
  await expect(steps.locator('[data-step="tcp"] .doctor-code')).toHaveText('ECONNREFUSED');
  await page.screenshot({ path: 'test-results/screenshots/provider-doctor-closed-port.png', fullPage: true });
});
