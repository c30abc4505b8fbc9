import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { relocatedServerDir } from '../embedded/server-dir';

/**
 * Deletes a test's data dir and, when the tests ran as root, the embedded cluster that lived outside it
 * (a 0700 data dir is never loosened, so root's cluster moves to /var/lib/bulkhead). Call after the
 * server has stopped.
 */
export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(relocatedServerDir(join(dataDir, 'postgres')), { recursive: true, force: true });
}
