import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BulkheadError } from '../errors';

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: number;
  role: string;
}

export interface DataDirLock {
  readonly path: string;
  /** The previous owner if it died without releasing (a crash): callers mark its work interrupted. */
  readonly recoveredFrom: LockOwner | null;
  release(): void;
}

const LOCK_FILE = 'bulkhead.lock';

/**
 * One Bulkhead per data dir. The lock file is created atomically (O_EXCL); a lock left by a process
 * that is no longer alive is taken over and reported, so a crash never blocks the next start.
 */
export function acquireDataDirLock(dataDir: string, role: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: Date.now(), role };
  let recoveredFrom: LockOwner | null = null;

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      return { path, recoveredFrom, release: () => releaseIfOurs(path, me) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    if (owner && owner.pid !== process.pid && owner.hostname === me.hostname && isAlive(owner.pid)) {
      throw new BulkheadError(
        'DATA_DIR_IN_USE',
        `Another Bulkhead (${owner.role}, pid ${owner.pid}, started ${new Date(owner.startedAt).toISOString()}) is using the data dir ${dataDir}.`,
        { remedy: 'Close the other Bulkhead first, or start this one with --data-dir (or BULKHEAD_DATA_DIR) pointing to another folder.' },
      );
    }
    recoveredFrom = owner;
    try {
      unlinkSync(path);
    } catch {
      // another starter removed it first; the next attempt decides who wins
    }
  }
  throw new BulkheadError('DATA_DIR_IN_USE', `Could not take the lock on ${dataDir}: another Bulkhead is starting at the same time.`, {
    remedy: 'Start one Bulkhead at a time per data dir.',
  });
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      hostname: typeof parsed.hostname === 'string' ? parsed.hostname : '',
      startedAt: typeof parsed.startedAt === 'number' ? parsed.startedAt : 0,
      role: typeof parsed.role === 'string' ? parsed.role : 'unknown',
    };
  } catch {
    return null; // half-written or unreadable: treat as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(path: string, me: LockOwner): void {
  const owner = readOwner(path);
  if (owner && owner.pid === me.pid && owner.startedAt === me.startedAt) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}
