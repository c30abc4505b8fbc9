import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../../log/logger';
import type { RunAs } from './os-user';

/** Where the cluster goes when running as root and the data dir is out of reach of the `postgres` user. */
export const ROOT_FALLBACK_DIR = '/var/lib/bulkhead';

/**
 * The folder the embedded server lives in. Normally `requested` (inside the data dir). Running as root,
 * the server runs as `postgres`, which must be able to walk into that folder — and a data dir is 0700,
 * which we never loosen (it holds the app store and stored keys). So the cluster goes to
 * /var/lib/bulkhead/postgres-<hash of the data dir> instead — the same place every time for the same
 * data dir — and the log says so.
 */
export function resolveServerDir(requested: string, runAs: RunAs | null, log: Logger): string {
  const absolute = resolve(requested);
  if (!runAs) return absolute;
  // A data dir that does not exist yet will be created 0700 (private): postgres could not enter it.
  if (existsSync(dirname(absolute)) && canTraverse(dirname(absolute), runAs)) return absolute;
  const relocated = relocatedServerDir(absolute);
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

/** Where the cluster for `requested` lives when it had to move out of the data dir (see resolveServerDir). */
export function relocatedServerDir(requested: string): string {
  return resolve(ROOT_FALLBACK_DIR, `postgres-${createHash('sha256').update(resolve(requested)).digest('hex').slice(0, 12)}`);
}
