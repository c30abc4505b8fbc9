import pg from 'pg';
import type { PoolSettings } from '../../../../shared/contract/pool';
import type { DatabaseTarget } from '../database-target';

/**
 * The one place connection options are built, for the governed pool and for the unbounded mode alike,
 * so an A/B comparison differs only in pooling. Every client carries `application_name` (server-side
 * counting), a connect timeout (node-postgres waits forever by default) and — with the session scope —
 * `statement_timeout` as a startup parameter. PgBouncer refuses any startup parameter it does not track
 * ("unsupported startup parameter: statement_timeout"), so the transaction scope leaves it out and sets
 * it per transaction instead (transactionStart).
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
    ...(settings.statementTimeoutMs > 0 && settings.statementTimeoutScope === 'session' ? { statement_timeout: settings.statementTimeoutMs } : {}),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

/**
 * How Bulkhead opens a transaction on a pool client: `BEGIN`, plus `SET LOCAL statement_timeout` with
 * the transaction scope. SET LOCAL ends with the transaction, so behind PgBouncer in transaction pooling
 * it never leaks to whoever gets that server connection next (a session-level SET would). One simple-
 * protocol round trip either way.
 */
export function transactionStart(settings: Pick<PoolSettings, 'statementTimeoutMs' | 'statementTimeoutScope'>): string {
  if (settings.statementTimeoutScope !== 'transaction' || settings.statementTimeoutMs <= 0) return 'BEGIN';
  return `BEGIN; SET LOCAL statement_timeout = ${Math.trunc(settings.statementTimeoutMs)}`;
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
