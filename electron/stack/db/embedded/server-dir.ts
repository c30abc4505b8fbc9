import { createHash } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../../log/logger';
import type { RunAs } from './os-user';

/** Where the cluster goes when running as root and the data dir is out of reach of the `postgres` user. */
export const ROOT_FALLBACK_DIR = '/var/lib/bulkhead';

/**
 * The folder the embedded server lives in. Normally `requested` (inside the data dir). Running as root,
 * the server runs as `postgres`, which must be able to walk into that folder. A data dir that is itself
 * 0700 gets the execute bit for group/others (walk through, not list). A data dir under /root (0700) is
 * out of reach, so the cluster goes to /var/lib/bulkhead/<hash of the data dir> instead — the same place
 * every time for the same data dir — and the log says so.
 */
export function resolveServerDir(requested: string, runAs: RunAs | null, log: Logger): string {
  const absolute = resolve(requested);
  if (!runAs || canTraverse(dirname(absolute), runAs)) return absolute;
  // The usual blocker is the data dir itself (mkdtemp makes 0700): let others pass through it, not list it.
  const dataDir = dirname(absolute);
  if (canTraverse(dirname(dataDir), runAs)) {
    try {
      chmodSync(dataDir, (statSync(dataDir).mode & 0o777) | 0o011);
      if (canTraverse(dataDir, runAs)) return absolute;
    } catch {
      // not ours to change: fall through to the fallback folder
    }
  }
  const relocated = resolve(ROOT_FALLBACK_DIR, `postgres-${createHash('sha256').update(absolute).digest('hex').slice(0, 12)}`);
  log.info(`running as root: the postgres user cannot reach ${absolute}; the embedded cluster lives in ${relocated}`);
  return relocated;
}

/** Whether `user` can traverse every directory from / down to `dir` (that exist). */
export function canTraverse(dir: string, user: RunAs): boolean {
  let current = resolve(dir);
  for (;;) {
    let stat;
    try {
      stat = statSync(current);
    } catch {
      stat = null; // not created yet: we create it with 0755
    }
    if (stat) {
      const mode = stat.mode;
      const ok = stat.uid === user.uid ? (mode & 0o100) !== 0 : stat.gid === user.gid ? (mode & 0o010) !== 0 : (mode & 0o001) !== 0;
      if (!ok) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}
