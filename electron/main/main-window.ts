import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './app-protocol';

export interface MainWindowOptions {
  preloadPath: string;
  iconPath?: string | undefined;
}

/** Electron's security checklist for the renderer; a unit test pins every value. */
export const MAIN_WINDOW_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const;

/** The one window: sandboxed, context-isolated, no Node in the renderer, content from app://. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 960,
    minHeight: 600,
    title: 'Bulkhead',
    backgroundColor: '#0e1117',
    show: false,
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: { ...MAIN_WINDOW_WEB_PREFERENCES, preload: options.preloadPath },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
