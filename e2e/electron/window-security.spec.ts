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

  test('web preferences: context isolation, sandbox, no Node', async () => {
    const window = await app.firstWindow();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const [win] = BrowserWindow.getAllWindows();
      return win?.webContents.getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  test('the preload surface is exactly the contract', async () => {
    const window = await app.firstWindow();
    const surface = await window.evaluate(() => {
      const api = (window as unknown as { bulkhead: { methods: Record<string, unknown> } }).bulkhead;
      return { keys: Object.keys(api).sort(), methods: Object.keys(api.methods).sort() };
    });
    expect(surface.keys).toEqual(['events', 'methods', 'subscribe']);
    expect(surface.methods).toEqual(methodNames);
  });

  test('navigation away from app:// is denied', async () => {
    const window = await app.firstWindow();
    await window.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await window.waitForTimeout(500);
    expect(window.url()).toMatch(/^app:\/\/bulkhead\//);
  });

  test('window.open is denied', async () => {
    const window = await app.firstWindow();
    const before = (await app.windows()).length;
    await window.evaluate(() => window.open('https://example.com/', '_blank'));
    await window.waitForTimeout(500);
    expect((await app.windows()).length).toBe(before);
  });
});
