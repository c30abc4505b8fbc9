import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir } from './db/testing/remove-data-dir';
import { embeddedAccessFor } from './doctor/embedded-access';
import { silentLogger } from './log/logger';
import { createFileSecretStore, SECRETS_FILE } from './secrets/file-secret-store';
import { openAppStore } from './store/app-store';
import { acquireDataDirLock } from './store/data-dir-lock';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-perms-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string): number => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

describe.runIf(posix)('a data dir only its owner can read', () => {
  it('creates the data dir 0700 and the SQLite store with its -wal and -shm files 0600', async () => {
    const dataDir = join(root, 'fresh', 'nested');
    const lock = acquireDataDirLock(dataDir, 'test');
    const store = openAppStore({ dataDir });
    store.db.exec('CREATE TABLE IF NOT EXISTS perms_probe (x INTEGER); INSERT INTO perms_probe VALUES (1);');
    const secrets = createFileSecretStore({ path: join(dataDir, SECRETS_FILE) });
    await secrets.set('openai', 'sk-test-permissions');
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      const files = readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining(['bulkhead.sqlite', 'bulkhead.sqlite-wal', 'bulkhead.sqlite-shm', SECRETS_FILE]));
      for (const name of files) expect({ name, mode: modeOf(join(dataDir, name)).toString(8) }).toEqual({ name, mode: '600' });
    } finally {
      store.close();
      lock.release();
    }
  });

  it('tightens a data dir and store an older version left readable by others', () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    openAppStore({ dataDir }).close();
    chmodSync(join(dataDir, 'bulkhead.sqlite'), 0o644);
    const store = openAppStore({ dataDir });
    store.close();
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'bulkhead.sqlite'))).toBe(0o600);
  });

  it('runs the embedded PostgreSQL without loosening a 0700 data dir (as root: the cluster lives outside it)', async () => {
    const dataDir = join(root, 'embedded');
    mkdirSync(dataDir, { mode: 0o700 });
    const access = await embeddedAccessFor(dataDir, silentLogger);
    try {
      expect(access).not.toBeNull();
      expect(access?.settings.port).toBeGreaterThan(0);
      expect(modeOf(dataDir)).toBe(0o700);
    } finally {
      await access?.release?.();
      removeDataDir(dataDir);
    }
  }, 60_000);
});
