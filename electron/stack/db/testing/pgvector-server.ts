/**
 * A real pgvector for tests, with nothing but npm: PGlite (PostgreSQL compiled to WebAssembly) with the
 * pgvector extension, served over the PostgreSQL wire protocol on 127.0.0.1 by pglite-socket, so `pg`
 * and the doctor talk to it exactly as they talk to a PostgreSQL server.
 *
 *   const server = await startPgvectorServer();
 *   const pool = new pg.Pool({ connectionString: server.url, max: server.maxConnections });
 *   ...
 *   await server.dispose();
 *
 * PGlite is one backend. The socket server accepts up to `maxConnections` clients and runs their
 * messages one at a time through that backend; a client past the limit is disconnected at once
 * ("Connection terminated unexpectedly"), so a pool must stay at or under `maxConnections`. While one
 * client is inside a transaction, the others wait: transactions do not interleave. Session state
 * (SET, advisory locks, temp tables) is shared by all clients — unlike a real server.
 */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface PgvectorServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (PGlite accepts any password). */
  readonly url: string;
  readonly port: number;
  /** Clients the socket server accepts at once; size pools to this or less. */
  readonly maxConnections: number;
  /** Clients connected right now (they count against maxConnections). */
  activeConnections(): number;
  /** Stops accepting, closes the clients and the database. Safe to call twice. */
  dispose(): Promise<void>;
}

export async function startPgvectorServer(options: { maxConnections?: number } = {}): Promise<PgvectorServer> {
  const maxConnections = options.maxConnections ?? 8;
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').at(-1));
  let disposed: Promise<void> | null = null;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    maxConnections,
    activeConnections: () => server.getStats().activeConnections,
    dispose: () => {
      disposed ??= (async () => {
        try {
          await server.stop();
        } finally {
          await db.close();
        }
      })();
      return disposed;
    },
  };
}
