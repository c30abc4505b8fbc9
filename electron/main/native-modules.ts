import { app } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * better-sqlite3 compiled for Electron's ABI, kept apart from the Node build in node_modules so that
 * `npm test` under Node never breaks (docs/native-modules.md). `npm run dist` and `npm start` produce it with
 * scripts/rebuild-native-for-electron.js; packaged apps carry it in resources/native.
 */
export function electronSqliteBinding(): string | undefined {
  const candidates = app.isPackaged
    ? [join(process.resourcesPath, 'native', 'better_sqlite3.node')]
    : [fileURLToPath(new URL('../../build-electron/better_sqlite3.node', import.meta.url))];
  return candidates.find((path) => existsSync(path));
}
