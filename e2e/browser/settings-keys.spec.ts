import { expect, test } from './fixtures';

/** Settings: a key is saved with the origin it is bound to; the page shows masked key → origin, never the key. */
test('a provider key saved with a binding shows the masked key and the only origin it goes to', async ({ page, panel }) => {
  await panel('settings');
  const row = page.getByTestId('secret-provider.openai.apiKey');
  await row.getByLabel('OpenAI API key value').fill('sk-proj-E2EKEYSECRET0123456789');
  await row.getByLabel('OpenAI API key bound to (base URL)').fill('https://openrouter.ai/api/v1');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('secret-binding')).toHaveText('saved sk-pr**** → https://openrouter.ai');
  await expect(row.getByLabel('OpenAI API key value')).toHaveValue('');
  await page.screenshot({ path: 'test-results/screenshots/settings-bound-key.png', fullPage: true });

  // A binding that could carry a password is refused where it is typed, and not repeated back.
  await row.getByLabel('OpenAI API key value').fill('sk-proj-E2EKEYSECRET0123456789');
  await row.getByLabel('OpenAI API key bound to (base URL)').fill('http://user:Secr3tPw@proxy.example.com/v1');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.locator('.error-notice, [role="alert"]').first()).toContainText('must not carry a user name or password');
  await expect(page.locator('body')).not.toContainText('Secr3tPw');
  await expect(page.locator('body')).not.toContainText('E2EKEYSECRET');

  // Saving without a binding goes back to the official API.
  await row.getByLabel('OpenAI API key bound to (base URL)').fill('');
  await row.getByRole('button', { name: 'Save' }).click();
  await expect(row.getByTestId('secret-binding')).toHaveText('saved sk-pr**** → https://api.openai.com');
});
