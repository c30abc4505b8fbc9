import { randomBytes } from 'node:crypto';
import { renameSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BulkheadError } from '../errors';
import { ensurePrivateDir } from '../files/private-path';
import { createExclusive, readText, removeIfUnchanged, sleepSync, writeTempFile } from './exclusive-file';

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

export interface LockTiming {
  /** How long to keep trying while another starter is mid-take-over. */
  readonly contendedWaitMs: number;
  /** An unreadable lock (or take-over marker) younger than this is someone's, being written: not stale. */
  readonly unreadableStaleAfterMs: number;
}

const LOCK_FILE = 'bulkhead.lock';
const DEFAULT_TIMING: LockTiming = { contendedWaitMs: 2_000, unreadableStaleAfterMs: 5_000 };

/**
 * One Bulkhead per data dir, exclusive even when several start in the same millisecond.
 *
 * Creation is atomic: the owner record is written to a private temp file first and then hard-linked
 * to `bulkhead.lock`, which fails if the name exists — so a lock is never seen half-written, and a
 * freshly created lock is never mistaken for a stale one.
 *
 * Take-over of a lock whose owner died is serialised by a second exclusive file,
 * `bulkhead.lock.takeover`: only its holder may remove the stale lock, and only after re-reading that
 * the lock is still the very record it judged stale. Starters that find no lock just link theirs, which
 * cannot replace a lock another took a moment earlier. Two takers therefore cannot both win, and a
 * taker can never remove a lock a live process has just created.
 */
export function acquireDataDirLock(dataDir: string, role: string, timing: Partial<LockTiming> = {}): DataDirLock {
  const { contendedWaitMs, unreadableStaleAfterMs } = { ...DEFAULT_TIMING, ...timing };
  ensurePrivateDir(dataDir);
  const path = join(dataDir, LOCK_FILE);
  const takeoverPath = `${path}.takeover`;
  const nonce = randomBytes(8).toString('hex');
  const me: LockOwner & { nonce: string } = { pid: process.pid, hostname: hostname(), startedAt: Date.now(), role, nonce };
  const record = JSON.stringify(me);
  const temp = writeTempFile(`${path}.${process.pid}.${nonce}.tmp`, record);
  const deadline = Date.now() + contendedWaitMs;
  let recoveredFrom: LockOwner | null = null;
  try {
    for (;;) {
      if (createExclusive(temp, path, record)) return { path, recoveredFrom, release: () => removeIfUnchanged(path, record) };
      const seen = readText(path);
      if (seen === null) continue; // released between our attempt and the read: try again at once
      const owner = parseOwner(seen);
      if (owner && isLiveOwner(owner)) throw inUse(dataDir, owner);
      if (!owner && ageMs(path) < unreadableStaleAfterMs) {
        // Not parseable yet still young: a starter without hard links writing it (see createExclusive).
        if (Date.now() > deadline) throw busy(dataDir);
        sleepSync(5);
        continue;
      }
      const outcome = takeOver({ path, takeoverPath, temp, record, stale: seen, unreadableStaleAfterMs });
      if (outcome === 'removed') recoveredFrom = owner;
      else if (Date.now() > deadline) throw busy(dataDir);
      else sleepSync(2 + Math.random() * 8);
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
}

/**
 * Removes the stale lock `stale` while holding the take-over marker. 'removed': it is gone (by us or,
 * if it vanished meanwhile, by its release); 'busy': someone else is taking over or the lock changed.
 */
function takeOver(input: { path: string; takeoverPath: string; temp: string; record: string; stale: string; unreadableStaleAfterMs: number }): 'removed' | 'busy' {
  const { path, takeoverPath, temp, record, stale } = input;
  if (!createExclusive(temp, takeoverPath, record)) {
    clearAbandonedTakeover(takeoverPath, input.unreadableStaleAfterMs);
    return 'busy';
  }
  try {
    const now = readText(path);
    if (now === null) return 'removed';
    if (now !== stale) return 'busy';
    // Renamed aside before deleting so a lock created under the same name later is never the one removed.
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    renameSync(path, aside);
    unlinkSync(aside);
    return 'removed';
  } finally {
    removeIfUnchanged(takeoverPath, record);
  }
}

/** A take-over marker left by a process that died mid-take-over (a crash within microseconds) is cleared. */
function clearAbandonedTakeover(takeoverPath: string, staleAfterMs: number): void {
  const seen = readText(takeoverPath);
  if (seen === null) return;
  const owner = parseOwner(seen);
  if (owner && isLiveOwner(owner)) return;
  if (ageMs(takeoverPath) < staleAfterMs) return;
  removeIfUnchanged(takeoverPath, seen);
}

function parseOwner(text: string): LockOwner | null {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      hostname: typeof parsed.hostname === 'string' ? parsed.hostname : '',
      startedAt: typeof parsed.startedAt === 'number' ? parsed.startedAt : 0,
      role: typeof parsed.role === 'string' ? parsed.role : 'unknown',
    };
  } catch {
    return null;
  }
}

/**
 * Alive on this host. A lock from another host (a shared folder) cannot be checked and counts as stale;
 * so does one naming our own pid: a previous run that had the same pid (pid 1 in every container).
 */
function isLiveOwner(owner: LockOwner): boolean {
  if (owner.hostname !== hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function inUse(dataDir: string, owner: LockOwner): BulkheadError {
  return new BulkheadError(
    'DATA_DIR_IN_USE',
    `Another Bulkhead (${owner.role}, pid ${owner.pid}, started ${new Date(owner.startedAt).toISOString()}) is using the data dir ${dataDir}.`,
    { remedy: 'Close the other Bulkhead first, or start this one with --data-dir (or BULKHEAD_DATA_DIR) pointing to another folder.' },
  );
}

function busy(dataDir: string): BulkheadError {
  return new BulkheadError('DATA_DIR_IN_USE', `Could not take the lock on ${dataDir}: another Bulkhead is starting at the same time.`, {
    remedy: 'Start one Bulkhead at a time per data dir.',
  });
}
