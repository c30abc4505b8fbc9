import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/**
 * Where the RAG database is in its life (docs/database-lifecycle.md draws the transitions). The panel
 * shows each one, and the doctor works in all of them.
 * - `disabled`: this stack runs without a database.
 * - `starting`: an attempt to bring it up is running (embedded server, TLS, pool, schema, corpus).
 * - `retrying`: the last attempt failed on something that can pass (server down, refusing); the next is scheduled.
 * - `ready`: the pool serves; it refills itself to min.
 * - `unavailable`: it was ready, and the server stopped answering; it becomes ready again on its own.
 * - `failed`: it cannot start and will not retry by itself (invalid configuration, embedded server would not start).
 * - `stopping`, `stopped`: shutting down; everything it held is closed once stopped.
 */
export const DatabaseStateSchema = z.enum(['disabled', 'starting', 'retrying', 'ready', 'unavailable', 'failed', 'stopping', 'stopped']);
export type DatabaseState = z.infer<typeof DatabaseStateSchema>;

export const PoolSettingsSchema = z.object({
  min: z.number().int().min(0).max(1000).describe('clients opened at start and kept open: idle ones are not closed, lost ones are replaced'),
  max: z.number().int().min(1).max(1000).describe('hard bound on open clients'),
  connectionTimeoutMs: z.number().int().min(1).max(600_000).describe('give up opening or waiting for a client after this'),
  idleTimeoutMs: z.number().int().min(0).max(86_400_000).describe('close a client idle this long (above min); 0 = never'),
  maxLifetimeSeconds: z.number().int().min(0).max(86_400).describe('recycle a client after this age; 0 = never'),
  statementTimeoutMs: z.number().int().min(0).max(3_600_000).describe('server-side statement_timeout; 0 = none'),
  statementTimeoutScope: z
    .enum(['session', 'transaction'])
    .describe('session: statement_timeout is a startup parameter of every connection; transaction: SET LOCAL at the start of each transaction (PgBouncer in transaction pooling refuses the startup parameter and does not keep session settings)'),
  leakThresholdMs: z.number().int().min(1).max(3_600_000).describe('a client held longer than this is reported as a leak'),
  applicationName: z.string().min(1).max(63).describe('application_name on every client, so pg_stat_activity can count ours'),
});
export type PoolSettings = z.infer<typeof PoolSettingsSchema>;

const DistributionSchema = z.object({
  count: z.number().int(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type Distribution = z.infer<typeof DistributionSchema>;

export const PoolLeakSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  heldMs: z.number(),
  /** Where the client was taken: the stack of the acquire call, trimmed to our frames. */
  stack: z.string(),
});
export type PoolLeak = z.infer<typeof PoolLeakSchema>;

/** What PostgreSQL itself says about our connections (pg_stat_activity), sampled every second or two. */
export const ServerActivitySchema = z.object({
  at: z.number(),
  ok: z.boolean(),
  error: z.string().optional(),
  applicationName: z.string(),
  byState: z.object({
    active: z.number().int(),
    idle: z.number().int(),
    idleInTransaction: z.number().int(),
    other: z.number().int(),
  }),
  /** Our application's connections, all states. */
  ours: z.number().int(),
  /** Every client connection on the server, any application. */
  allConnections: z.number().int(),
  maxConnections: z.number().int(),
});
export type ServerActivity = z.infer<typeof ServerActivitySchema>;

export const EmbeddedServerInfoSchema = z.object({
  port: z.number().int(),
  pid: z.number().int(),
  dataDir: z.string(),
  /** True when a server left running by an earlier Bulkhead (a crash) was taken over instead of started. */
  adopted: z.boolean(),
  startMs: z.number().describe('time from asking to a server accepting connections'),
  initialised: z.boolean().describe('true when this start ran initdb (first start in this data dir)'),
});
export type EmbeddedServerInfo = z.infer<typeof EmbeddedServerInfoSchema>;

/**
 * The pool keeping itself at `min`. node-postgres's own `min` only stops idle clients from being closed;
 * when the server ends sessions (restart, pg_terminate_backend, a reaper), Bulkhead opens replacements.
 * - `at-min`: nothing to do. `refilling`: opening clients now.
 * - `backing-off`: the last attempt failed (server down or refusing); the next one is at `retryAt`, and
 *   it opens a single client before the rest follow, so a refusing server never sees a connect storm.
 * - `stopped`: the pool is closing or closed.
 */
export const PoolRefillSchema = z.object({
  state: z.enum(['at-min', 'refilling', 'backing-off', 'stopped']),
  /** Clients missing to reach min (0 at or above it). */
  missing: z.number().int(),
  /** Since when the pool has been below min (null when it is not). */
  belowMinSince: z.number().nullable(),
  /** Failed attempts in a row. */
  failures: z.number().int(),
  retryAt: z.number().nullable(),
  lastError: z.string().nullable(),
  /** Clients opened by refills since the pool was created. */
  opened: z.number().int(),
});
export type PoolRefill = z.infer<typeof PoolRefillSchema>;

export const PoolSnapshotSchema = z.object({
  t: z.number(),
  state: DatabaseStateSchema,
  stateDetail: z.string(),
  target: z.string().nullable().describe('host:port/database, password never included'),
  embedded: EmbeddedServerInfoSchema.nullable(),
  counts: z.object({
    total: z.number().int(),
    idle: z.number().int(),
    waiting: z.number().int(),
    leased: z.number().int(),
    min: z.number().int(),
    max: z.number().int(),
  }),
  refill: PoolRefillSchema,
  oldestWaiterMs: z.number(),
  /** Over the last window (about a minute). */
  acquireWaitMs: DistributionSchema,
  holdMs: DistributionSchema,
  totals: z.object({
    acquired: z.number().int(),
    acquireTimeouts: z.number().int(),
    acquireErrors: z.number().int(),
    clientsCreated: z.number().int(),
    clientsRemoved: z.number().int(),
    idleClientErrors: z.number().int(),
    leaksDetected: z.number().int(),
  }),
  leaks: z.array(PoolLeakSchema),
  server: ServerActivitySchema.nullable(),
});
export type PoolSnapshot = z.infer<typeof PoolSnapshotSchema>;

export const ConfigSourceSchema = z.object({
  name: z.string(),
  value: z.string().describe('masked when secret'),
  source: z.string().describe('environment, --url, --env-file F, .env, .env.local, embedded, default'),
  /** Another source defined it too, with lower precedence: shown so a stale .env is noticed. */
  shadows: z.array(z.string()),
});
export type ConfigSource = z.infer<typeof ConfigSourceSchema>;

export const PoolSettingsInfoSchema = z.object({
  settings: PoolSettingsSchema,
  target: z.string().nullable(),
  mode: z.enum(['embedded', 'configured', 'disabled']),
  tls: z.object({ mode: z.string(), reason: z.string(), warning: z.string().optional() }).nullable(),
  sources: z.array(ConfigSourceSchema),
});
export type PoolSettingsInfo = z.infer<typeof PoolSettingsInfoSchema>;

export const poolMethods = defineMethods({
  'pool.snapshot': {
    description: 'The RAG database pool right now: counts, waits, holds, leaks, and the server-side view.',
    params: z.object({}).strict(),
    result: PoolSnapshotSchema,
  },
  'pool.settings': {
    description: 'The pool bounds and timeouts in force, the target (masked) and where each setting came from.',
    params: z.object({}).strict(),
    result: PoolSettingsInfoSchema,
  },
});

export const poolEvents = defineEvents({
  'pool.snapshot': {
    description: 'Pushed every monitor tick with the newest pool snapshot.',
    payload: PoolSnapshotSchema,
  },
});
