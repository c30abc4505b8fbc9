import { app, session, shell, type WebContents } from 'electron';
import { isAppUrl } from './app-protocol';
import { isAllowedExternalUrl } from './external-links';

/**
 * Electron's security checklist, applied to every web contents the app ever creates:
 * no navigation away from app://bulkhead, no new windows (allow-listed https links go to the system
 * browser instead), no webviews, and every permission request denied.
 */
export function hardenAllWebContents(): void {
  const denyAll = session.defaultSession;
  denyAll.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  denyAll.setPermissionCheckHandler(() => false);
  denyAll.setDevicePermissionHandler(() => false);

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
