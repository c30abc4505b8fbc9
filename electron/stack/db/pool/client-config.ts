import pg from 'pg';
import type { PoolSettings } from '../../../../shared/contract/pool';
import type { DatabaseTarget } from '../database-target';

/**
 * The one place connection options are built, for the governed pool and for the unbounded mode alike,
 * so an A/B comparison differs only in pooling. Every client carries `application_name` (server-side
 * counting), a connect timeout (node-postgres waits forever by default) and `statement_timeout`.
 */
export function clientConfigFor(target: DatabaseTarget, settings: PoolSettings, applicationName = settings.applicationName): pg.ClientConfig {
  return {
    host: target.settings.host,
    port: target.settings.port,
    user: target.settings.user,
    password: target.settings.password,
    database: target.settings.database,
    ssl: target.ssl,
    application_name: applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMs,
    ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * Unbounded mode (the "before" of an A/B run): one brand-new connection per query, no pool, no bound.
 * Same settings as the pool, so pg_stat_activity counts it under the same application_name.
 */
export async function queryWithNewClient<R extends pg.QueryResultRow = pg.QueryResultRow>(
  target: DatabaseTarget,
  settings: PoolSettings,
  text: string,
  values?: unknown[],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client(clientConfigFor(target, settings));
  // An error after connect (server restart) must not become an uncaught exception.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.query<R>(text, values);
  } finally {
    await client.end().catch(() => undefined);
  }
}
