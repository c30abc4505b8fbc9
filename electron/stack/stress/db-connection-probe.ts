import pg from 'pg';
import type { ConnectionProbe } from './stress-runner';

const COUNT_SQL = `SELECT count(*)::int AS n FROM pg_stat_activity
  WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`;

export interface DbConnectionProbe extends ConnectionProbe {
  /** Closes the probe's own connection; safe to call twice. */
  close(): Promise<void>;
}

/**
 * How many server connections the stack holds on the RAG database right now, as PostgreSQL itself
 * counts them (pg_stat_activity, this database, the stack's application_name) — pooled clients and the
 * unbounded mode's one-shot clients alike. The probe keeps one connection of its own under another
 * application_name, opened before the load starts so a server that runs out of slots can still be
 * asked; a failed sample returns null and the connection is reopened on the next one.
 */
export function dbConnectionProbe(config: pg.ClientConfig, applicationName: string, timeoutMs = 1_000): DbConnectionProbe {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let closed = false;

  const connected = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = new pg.Client({ ...config, application_name: `${applicationName}-stress-probe`, connectionTimeoutMillis: timeoutMs });
      next.on('error', () => {
        if (client === next) client = null;
      });
      try {
        await next.connect();
      } catch (error) {
        await next.end().catch(() => undefined);
        throw error;
      }
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async sample() {
      if (closed) return null;
      try {
        const c = await connected();
        const result = await c.query<{ n: number }>({ text: COUNT_SQL, values: [applicationName], query_timeout: timeoutMs } as pg.QueryConfig);
        return result.rows[0]?.n ?? null;
      } catch {
        const broken = client;
        client = null;
        await broken?.end().catch(() => undefined);
        return null;
      }
    },
    async close() {
      closed = true;
      await connecting?.catch(() => undefined);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
