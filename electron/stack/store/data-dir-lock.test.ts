import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir';
import { acquireDataDirLock } from './data-dir-lock';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

/** A real second process that takes the lock and holds it until killed. */
async function holdLockInChild(dataDir: string): Promise<{ pid: number; stop: () => void }> {
  const script = `
    const { openSync, writeSync } = require('node:fs');
    const fd = openSync(${JSON.stringify(join(dataDir, 'bulkhead.lock'))}, 'wx');
    writeSync(fd, JSON.stringify({ pid: process.pid, hostname: require('node:os').hostname(), startedAt: Date.now(), role: 'host' }));
    process.stdout.write('locked');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { pid: child.pid ?? 0, stop: () => child.kill('SIGKILL') };
}

describe('data dir lock', () => {
  it('refuses a second Bulkhead on the same data dir with a message naming the owner and the fix', async () => {
    const dataDir = tempDir();
    const other = await holdLockInChild(dataDir);
    try {
      let caught: unknown;
      try {
        acquireDataDirLock(dataDir, 'host');
      } catch (error) {
        caught = error;
      }
      expect(caught).toMatchObject({ code: 'DATA_DIR_IN_USE' });
      expect((caught as Error).message).toContain(`pid ${other.pid}`);
      expect((caught as { remedy: string }).remedy).toContain('--data-dir');
    } finally {
      other.stop();
    }
  });

  it('takes over a lock left by a process that died, and reports it as recovered', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'bulkhead.lock'), JSON.stringify({ pid: 2 ** 22 + 7, hostname: hostname(), startedAt: 1, role: 'desktop' }));
    const lock = acquireDataDirLock(dataDir, 'host');
    expect(lock.recoveredFrom).toMatchObject({ pid: 2 ** 22 + 7, role: 'desktop' });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, role: 'host' });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('treats an old unreadable lock file as stale (a crash of a version that wrote it in place)', () => {
    const dataDir = tempDir();
    const path = join(dataDir, 'bulkhead.lock');
    writeFileSync(path, '{"pid":');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path, anHourAgo, anHourAgo);
    const lock = acquireDataDirLock(dataDir, 'host');
    expect(lock.recoveredFrom).toBeNull();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('never takes over a young lock it cannot read yet: someone is writing it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'bulkhead.lock'), '');
    expect(() => acquireDataDirLock(dataDir, 'host', { contendedWaitMs: 50 })).toThrow(/another Bulkhead is starting at the same time/);
    expect(readFileSync(join(dataDir, 'bulkhead.lock'), 'utf8')).toBe('');
  });

  it('writes the lock whole and leaves no temp file behind', () => {
    const dataDir = tempDir();
    const lock = acquireDataDirLock(dataDir, 'host');
    expect(readdirSync(dataDir)).toEqual(['bulkhead.lock']);
    lock.release();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('clears a take-over marker abandoned by a process that died mid-take-over', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'bulkhead.lock'), JSON.stringify({ pid: 2 ** 22 + 7, hostname: hostname(), startedAt: 1, role: 'desktop' }));
    const marker = join(dataDir, 'bulkhead.lock.takeover');
    writeFileSync(marker, JSON.stringify({ pid: 2 ** 22 + 9, hostname: hostname(), startedAt: 1, role: 'host' }));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(marker, anHourAgo, anHourAgo);
    const lock = acquireDataDirLock(dataDir, 'host');
    expect(lock.recoveredFrom).toMatchObject({ pid: 2 ** 22 + 7 });
    expect(existsSync(marker)).toBe(false);
    lock.release();
  });
});
