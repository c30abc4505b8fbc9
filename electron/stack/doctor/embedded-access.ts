import { join } from 'node:path';
import { sleep, systemClock } from '../clock/clock';
import type { Logger } from '../log/logger';
import { embeddedSettings } from '../db/database-target';
import { readRunningEmbeddedServer, startEmbeddedServer } from '../db/embedded/embedded-server';
import { postgresOsUser } from '../db/embedded/os-user';
import { isProcessAlive, readPostmasterPid } from '../db/embedded/postmaster-pid';
import { resolveServerDir } from '../db/embedded/server-dir';
import { ensurePrivateDir } from '../files/private-path';
import type { EmbeddedAccess } from './doctor-context';

/**
 * For `bulkhead doctor` with nothing configured: the embedded PostgreSQL of the data dir. If Bulkhead
 * runs, its server is used as is (never stopped). If not, the server is started for the check and
 * stopped after — the same start the app does, so a machine where it cannot run is found out here.
 */
export async function embeddedAccessFor(dataDir: string, log: Logger): Promise<EmbeddedAccess | null> {
  ensurePrivateDir(dataDir); // before deciding where the cluster lives: a data dir is never left open
  const requested = join(dataDir, 'postgres');
  const baseDir = resolveServerDir(requested, await postgresOsUser(), log);
  const lock = readPostmasterPid(join(baseDir, 'data'));
  if (lock && isProcessAlive(lock.pid)) {
    // Someone's server is up or coming up: wait for it, never start a second one or stop theirs.
    for (let i = 0; i < 40 && !readRunningEmbeddedServer(baseDir); i++) await sleep(systemClock, 250);
    const running = readRunningEmbeddedServer(baseDir);
    if (!running) return null;
    return { settings: embeddedSettings({ ...running, database: 'bulkhead' }), description: `the embedded PostgreSQL of the running Bulkhead (pid ${running.pid})` };
  }
  const server = await startEmbeddedServer({ baseDir: requested, log });
  return {
    settings: embeddedSettings(server),
    description: `the embedded PostgreSQL in ${server.baseDir} (started for this check${server.initialised ? ', first start: cluster created' : ''}; stopped after)`,
    release: () => server.stop(),
  };
}
