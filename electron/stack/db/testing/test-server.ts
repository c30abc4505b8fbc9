import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../log/logger';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from '../embedded/embedded-server';

export interface TestServer extends EmbeddedServer {
  /** Stops the server and deletes its folder. */
  dispose(): Promise<void>;
}

/**
 * A dedicated embedded PostgreSQL for one test file, for what the shared test database cannot do:
 * server settings (tiny max_connections, ssl), pg_hba rules, or being stopped and started again.
 * Costs about a second (initdb without fsync, then start).
 */
export async function startTestServer(options: Partial<Omit<EmbeddedServerOptions, 'log'>> = {}): Promise<TestServer> {
  const dir = options.baseDir ?? mkdtempSync(join(tmpdir(), 'bulkhead-testpg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedServer({ log: silentLogger, fastInit: true, adoptOrphan: false, ...options, baseDir: join(dir, 'server') });
  return {
    ...server,
    dispose: async () => {
      await server.stop();
      if (!options.baseDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
