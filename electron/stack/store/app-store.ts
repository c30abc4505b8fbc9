import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import { BulkheadError } from '../errors';
import { ensurePrivateDir, ensurePrivateFile, tightenIfOurs } from '../files/private-path';
import { migrate } from './migrations';

export interface AppStoreOptions {
  dataDir: string;
  /**
   * Path to a better_sqlite3.node built for the running ABI. Electron passes its own build here, so the
   * Node build in node_modules keeps working for `npm test` (see docs/native-modules.md).
   */
  nativeBinding?: string | undefined;
}

export interface AppStore {
  readonly db: Database;
  readonly path: string;
  close(): void;
}

/** Opens (creating if needed) the app's SQLite store in WAL mode and brings its schema up to date. */
export function openAppStore(options: AppStoreOptions): AppStore {
  ensurePrivateDir(options.dataDir);
  const path = join(options.dataDir, 'bulkhead.sqlite');
  let db: Database;
  try {
    // SQLite gives its -wal and -shm files the main file's mode: a 0600 store keeps all three private.
    ensurePrivateFile(path);
    for (const companion of [`${path}-wal`, `${path}-shm`]) tightenIfOurs(companion, 0o600);
    db = new BetterSqlite3(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new BulkheadError('STORE_OPEN_FAILED', `Could not open the app store at ${path}.`, {
      remedy: 'Check that the data dir is writable, or choose another with --data-dir.',
      cause: error,
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  return {
    db,
    path,
    close: () => {
      if (db.open) db.close();
    },
  };
}
