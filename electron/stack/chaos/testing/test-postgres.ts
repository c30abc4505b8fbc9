import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../db/embedded/embedded-server';
import { silentLogger } from '../../log/logger';
import { makeTempDir } from '../../testing/temp-dir';

/** A PostgreSQL for a test: TEST_DATABASE_URL when set, else a fresh embedded server. */
export interface TestPostgres {
  readonly host: string;
  readonly port: number;
  /** pg client settings for the server itself, or for a proxy in front of it (`via`). */
  clientConfig(via?: { host: string; port: number }): { host: string; port: number; user: string; password: string; database: string };
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const parsed = new URL(url);
    const base = {
      host: parsed.hostname,
      port: Number(parsed.port || 5432),
      user: decodeURIComponent(parsed.username || 'postgres'),
      password: decodeURIComponent(parsed.password),
      database: decodeURIComponent(parsed.pathname.slice(1) || 'postgres'),
    };
    return {
      host: base.host,
      port: base.port,
      clientConfig: (via) => ({ ...base, ...(via ?? {}) }),
      stop: async () => undefined,
    };
  }
  const dir = makeTempDir('bulkhead-chaos-pg-');
  // Running as root the server runs as `postgres`, which must be able to walk into the folder.
  chmodSync(dir.path, 0o755);
  let server: EmbeddedServer;
  try {
    server = await startEmbeddedServer({ baseDir: join(dir.path, 'pg'), log: silentLogger, fastInit: true, adoptOrphan: false });
  } catch (error) {
    dir.remove();
    throw error;
  }
  const base = { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database };
  return {
    host: server.host,
    port: server.port,
    clientConfig: (via) => ({ ...base, ...(via ?? {}) }),
    stop: async () => {
      await server.stop();
      dir.remove();
    },
  };
}
