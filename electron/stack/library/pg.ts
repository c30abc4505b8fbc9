/**
 * `bulkhead-governance/pg`: the instrumented node-postgres pool (bounds, refill to min, leak detection
 * with the stack of the code that took a client) and the server's own count of our sessions from
 * pg_stat_activity. Needs the `pg` package (an optional peer dependency of the library).
 */
import type pg from 'pg';
import type { PoolSettings } from '../../../shared/contract/pool';
import { systemClock, type Clock } from '../clock/clock';
import { createLogger, type Logger } from '../log/logger';
import { InstrumentedPool } from '../db/pool/instrumented-pool';
import { DEFAULT_POOL_SETTINGS } from '../db/pool/pool-settings';
import { ServerActivitySampler } from '../db/pool/server-activity';
import { PoolSettingsSchema } from '../../../shared/contract/pool';
import { BulkheadError } from '../errors';
import { startAutoAttach } from './attach/auto-attach';
import { libraryRegistry } from './library-registry';

export { InstrumentedPool, type PoolLease, type InstrumentedPoolOptions, type PoolCounters } from '../db/pool/instrumented-pool';
export { ServerActivitySampler, type ServerActivityOptions } from '../db/pool/server-activity';
export { DEFAULT_POOL_SETTINGS } from '../db/pool/pool-settings';
export type { PoolSettings, PoolSnapshot, PoolLeak, ServerActivity } from '../../../shared/contract/pool';

export interface CreatePgPoolOptions extends Partial<PoolSettings> {
  /** `postgres://user:pass@host:5432/db` — or pass `config` for node-postgres's own fields. */
  connectionString?: string;
  /** node-postgres client fields (host, port, ssl…); `connectionString` is added to them. */
  config?: pg.ClientConfig;
  clock?: Clock;
  /** Where pool warnings (leaks, refill back-off) go. Default: stderr, secrets masked. */
  log?: Logger;
}

/**
 * An InstrumentedPool with Bulkhead's defaults (min 5, max 20, 5 s connect timeout, leak after 10 s,
 * application_name `bulkhead`) for every setting you leave out. Settings are checked first: a bad one is
 * a BulkheadError naming the field and its allowed range, before any connection opens.
 */
export function createPgPool(options: CreatePgPoolOptions = {}): InstrumentedPool {
  const { connectionString, config, clock, log, ...overrides } = options;
  const parsed = PoolSettingsSchema.safeParse({ ...DEFAULT_POOL_SETTINGS, ...overrides });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new BulkheadError('pool.invalid_setting', `createPgPool: ${field} is invalid (${issue.message}).`, {
      remedy: `Pass ${field} within its range, or leave it out for the default (${String(DEFAULT_POOL_SETTINGS[field as keyof PoolSettings])}).`,
    });
  }
  const settings = parsed.data;
  const clientConfig: pg.ClientConfig = {
    ...config,
    ...(connectionString !== undefined ? { connectionString } : {}),
    application_name: settings.applicationName,
    ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
  };
  const pool = new InstrumentedPool({ config: clientConfig, settings, clock: clock ?? systemClock, log: log ?? createLogger({ scope: 'bulkhead-pg' }) });
  libraryRegistry.add({ kind: 'pool', name: settings.applicationName, snapshot: () => pool.counters() });
  return pool;
}

export interface CreateServerActivityOptions {
  connectionString?: string;
  config?: pg.ClientConfig;
  /** Whose sessions to count: the pool's application_name. Default `bulkhead`. */
  applicationName?: string;
  intervalMs?: number;
  clock?: Clock;
}

/** The server's truth about our sessions (pg_stat_activity), sampled on its own connection; call start(). */
export function createServerActivity(options: CreateServerActivityOptions = {}): ServerActivitySampler {
  const config: pg.ClientConfig = { ...options.config, ...(options.connectionString !== undefined ? { connectionString: options.connectionString } : {}) };
  return new ServerActivitySampler({
    config,
    applicationName: options.applicationName ?? DEFAULT_POOL_SETTINGS.applicationName,
    clock: options.clock ?? systemClock,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
  });
}

// With BULKHEAD_ATTACH set, a process that uses the library reports to the panel (see index.ts).
startAutoAttach(libraryRegistry);
