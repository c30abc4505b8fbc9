import pg from 'pg';
import { classifyPgError } from '../pg-error';

/**
 * PgBouncer's admin console: the virtual database `pgbouncer` on the bouncer's own port, answering SHOW
 * commands over the simple query protocol (it has no extended protocol, so node-postgres must send
 * queries without parameters). Users listed in `admin_users` or `stats_users` may read it.
 */
export interface PgbouncerAdminEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | (() => string) | undefined;
  readonly ssl?: pg.ClientConfig['ssl'];
}

export type AdminRow = Record<string, string | number | null>;

export interface PgbouncerConsole {
  readonly version: string;
  readonly pools: AdminRow[];
  readonly stats: AdminRow[];
  /** SHOW CONFIG as key → value (max_prepared_statements is absent before 1.21). */
  readonly config: Map<string, string>;
}

export type PgbouncerConsoleRead = { ok: true; console: PgbouncerConsole } | { ok: false; code: string; message: string };

/** Reads version, pools, stats and config; never throws (a plain PostgreSQL answers 3D000 for `pgbouncer`). */
export async function readPgbouncerConsole(endpoint: PgbouncerAdminEndpoint, options: { timeoutMs?: number } = {}): Promise<PgbouncerConsoleRead> {
  const client = new pg.Client({
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    database: 'pgbouncer',
    ssl: endpoint.ssl ?? false,
    connectionTimeoutMillis: options.timeoutMs ?? 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const version = String((await client.query<AdminRow>('SHOW VERSION')).rows[0]?.version ?? 'PgBouncer (version unknown)');
    const pools = (await client.query<AdminRow>('SHOW POOLS')).rows;
    const stats = (await client.query<AdminRow>('SHOW STATS')).rows;
    // SHOW CONFIG is for admin_users only; stats_users still get the rest.
    const config = new Map<string, string>();
    try {
      for (const row of (await client.query<AdminRow>('SHOW CONFIG')).rows) config.set(String(row.key), String(row.value));
    } catch {
      // left empty: the report says the config could not be read
    }
    return { ok: true, console: { version, pools, stats, config } };
  } catch (error) {
    const info = classifyPgError(error);
    return { ok: false, code: info.code, message: info.message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PgBouncer's own refusal of a startup parameter it does not track: how a bouncer gives itself away. */
export function isUnsupportedStartupParameter(message: string): boolean {
  return /unsupported startup parameter/i.test(message);
}

/** The pool (database, user) row of SHOW POOLS, and so its pool_mode. */
export function poolRowFor(pools: readonly AdminRow[], database: string, user: string): AdminRow | undefined {
  return pools.find((row) => row.database === database && row.user === user) ?? pools.find((row) => row.database === database);
}

/** Parses a PgBouncer admin URL (`postgres://user:pw@host:6432/pgbouncer`) into an endpoint. */
export function adminEndpointFromUrl(raw: string): PgbouncerAdminEndpoint {
  const url = new URL(raw);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('the PgBouncer admin URL must be postgres://user:password@host:port/pgbouncer');
  return {
    host: decodeURIComponent(url.hostname),
    port: url.port === '' ? 6432 : Number(url.port),
    user: decodeURIComponent(url.username || 'pgbouncer'),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
  };
}
