/** The window's web preferences and what it loads. `electron` is replaced by a recorder (no binary here). */
import { describe, expect, it, vi } from 'vitest';

const created: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];

vi.mock('electron', () => ({
  BrowserWindow: class {
    readonly loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      created.push({ options, loaded: this.loaded });
    }
    once() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  },
}));

describe('main window', () => {
  it('is sandboxed and isolated, runs no Node, and loads the panel from app://bulkhead', async () => {
    const { createMainWindow } = await import('./main-window');
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs' });
    const [window] = created;
    expect(window?.options.webPreferences).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs',
    });
    expect(window?.loaded).toEqual(['app://bulkhead/index.html']);
  });
});
