/**
 * Electron main: lifecycle, the window, security, and the IPC transport. The stack itself is plain Node
 * (electron/stack) and runs in this process; this file only wires it to Electron.
 */
import { app, type BrowserWindow, dialog } from 'electron';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../stack/log/logger';
import { resolveDataDir } from '../stack/store/data-dir';
import { startStack, type Stack } from '../stack/stack';
import { isBulkheadError } from '../stack/errors';
import { registerAppScheme, serveRendererOverAppProtocol } from './app-protocol';
import { serveContractOverIpc } from './ipc/contract-ipc';
import { createMainWindow } from './main-window';
import { electronSqliteBinding } from './native-modules';
import { hardenAllWebContents } from './window-security';
import { notifyFiredAlerts } from './alert-notifications';
import { desktopSecretCodec } from './secret-codec';

const log = createLogger({ scope: 'main' });
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let stack: Stack | null = null;
  let stopIpc: (() => void) | null = null;
  let stopNotifications: (() => void) | null = null;
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (window && !window.isDestroyed()) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !stack) return;
    event.preventDefault();
    quitting = true;
    stopIpc?.();
    stopNotifications?.();
    void stack.stop().finally(() => app.quit());
  });

  void app.whenReady().then(async () => {
    hardenAllWebContents();
    serveRendererOverAppProtocol(here('../renderer'));
    const dataDirFlag = process.argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length);
    try {
      stack = await startStack({
        dataDir: resolveDataDir({ flag: dataDirFlag, electronUserData: app.getPath('userData') }),
        role: 'desktop',
        log,
        sqliteNativeBinding: electronSqliteBinding(),
        secretCodec: desktopSecretCodec((message) => log.warn(message)),
      });
    } catch (error) {
      const message = isBulkheadError(error) ? `${error.message}\n\n${error.remedy ?? ''}` : String(error);
      dialog.showErrorBox('Bulkhead could not start', message);
      app.exit(1);
      return;
    }
    const attachUrl = stack.attachUrl();
    // Same line as `bulkhead serve`; the Settings page shows it with a copy button.
    if (attachUrl) process.stdout.write(`BULKHEAD_ATTACH=${attachUrl}\n`);
    stopIpc = serveContractOverIpc(stack);
    window = createMainWindow({ preloadPath: here('../preload/index.cjs') });
    stopNotifications = notifyFiredAlerts(stack, () => {
      if (!window || window.isDestroyed()) return;
      window.show();
      window.focus();
      void window.webContents.executeJavaScript("location.hash = '#/alerts'");
    });
  });
}
