import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger';
import { ROOT_FALLBACK_DIR, resolveServerDir } from './server-dir';

// A user that owns nothing here, like `postgres` looking at root's folders.
const stranger = { uid: 65534, gid: 65534, name: 'nobody' };
const root = mkdtempSync(join(tmpdir(), 'bulkhead-serverdir-'));
afterAll(() => {
  chmodSync(root, 0o755);
  rmSync(root, { recursive: true, force: true });
});

describe('where the embedded cluster lives when the server runs as another user', () => {
  it('stays in the data dir when every folder can be walked through', () => {
    chmodSync(root, 0o755);
    const dataDir = join(root, 'open');
    mkdirSync(dataDir, { mode: 0o755 });
    expect(resolveServerDir(join(dataDir, 'postgres'), stranger, silentLogger)).toBe(join(dataDir, 'postgres'));
  });

  it('never loosens a 0700 data dir: the cluster moves to the fallback folder instead', () => {
    chmodSync(root, 0o755);
    const dataDir = join(root, 'private');
    mkdirSync(dataDir, { mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const resolved = resolveServerDir(join(dataDir, 'postgres'), stranger, silentLogger);
    expect(resolved.startsWith(`${ROOT_FALLBACK_DIR}/postgres-`)).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('moves the cluster to the fallback folder when a parent (like /root) is closed', () => {
    const closed = join(root, 'home');
    mkdirSync(join(closed, 'data'), { recursive: true });
    chmodSync(closed, 0o700);
    const resolved = resolveServerDir(join(closed, 'data', 'postgres'), stranger, silentLogger);
    expect(resolved.startsWith(`${ROOT_FALLBACK_DIR}/postgres-`)).toBe(true);
    expect(resolveServerDir(join(closed, 'data', 'postgres'), stranger, silentLogger)).toBe(resolved); // stable
  });

  it('moves the cluster when the data dir does not exist yet (it will be created 0700)', () => {
    chmodSync(root, 0o755);
    const resolved = resolveServerDir(join(root, 'not-yet', 'postgres'), stranger, silentLogger);
    expect(resolved.startsWith(`${ROOT_FALLBACK_DIR}/postgres-`)).toBe(true);
  });

  it('does nothing when the server runs as the current user', () => {
    expect(resolveServerDir('/anywhere/postgres', null, silentLogger)).toBe('/anywhere/postgres');
  });
});
