/// <reference lib="dom" />
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { methodNames } from '../../shared/contract';
import { checkElectron } from '../../scripts/electron-availability.js';

/**
 * Security of the desktop window. Runs where the Electron binary exists (after `npm run build`);
 * elsewhere every test reports itself skipped with the reason.
 */
const availability = checkElectron({ allowDownload: false });
const builtMain = existsSync('out/main/index.js');
const skipReason = !availability.ok ? `Electron cannot start here: ${availability.reason}` : !builtMain ? 'out/main is not built: run npm run build' : '';

let app: ElectronApplication;

test.describe('desktop window security', () => {
  test.skip(skipReason !== '', skipReason);

  test.beforeAll(async () => {
    app = await electron.launch({ args: ['.', `--data-dir=${mkdtempSync(join(tmpdir(), 'bulkhead-electron-'))}`] });
  });
  test.afterAll(async () => {
    await app?.close();
  });

  test('no Node in the page: sandboxed, isolated, no require or process', async () => {
    const page = await app.firstWindow();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // With context isolation the page cannot reach the preload's ipcRenderer through the exposed object.
    expect(await page.evaluate(() => JSON.stringify(Object.keys((globalThis as { bulkhead?: object }).bulkhead ?? {})))).toBe(
      JSON.stringify(['methods', 'events', 'subscribe']),
    );
  });

  test('the preload surface is exactly the contract', async () => {
    const page = await app.firstWindow();
    const surface = await page.evaluate(() => {
      const api = (window as unknown as { bulkhead: { methods: Record<string, unknown> } }).bulkhead;
      return { keys: Object.keys(api).sort(), methods: Object.keys(api.methods).sort() };
    });
    expect(surface.keys).toEqual(['events', 'methods', 'subscribe']);
    expect(surface.methods).toEqual(methodNames);
  });

  // Both checks prove that something does NOT happen, so they give it a moment to happen first.
  test('navigation away from app:// is denied', async () => {
    const page = await app.firstWindow();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/bulkhead\//);
  });

  test('window.open is denied', async () => {
    const page = await app.firstWindow();
    const before = app.windows().length;
    expect(await page.evaluate(() => window.open('https://example.com/', '_blank') === null)).toBe(true);
    await page.waitForTimeout(500);
    expect(app.windows().length).toBe(before);
  });
});
