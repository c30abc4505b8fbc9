import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/** Where the RAG database is in its life: the panel shows each one, and the doctor works in all of them. */
export const DatabaseStateSchema = z.enum(['disabled', 'starting', 'ready', 'unavailable', 'stopped']);
export type DatabaseState = z.infer<typeof DatabaseStateSchema>;

export const PoolSettingsSchema = z.object({
  min: z.number().int().min(0).max(1000).describe('clients opened at start and kept open when idle'),
  max: z.number().int().min(1).max(1000).describe('hard bound on open clients'),
  connectionTimeoutMs: z.number().int().min(1).max(600_000).describe('give up opening or waiting for a client after this'),
  idleTimeoutMs: z.number().int().min(0).max(86_400_000).describe('close a client idle this long (above min); 0 = never'),
  maxLifetimeSeconds: z.number().int().min(0).max(86_400).describe('recycle a client after this age; 0 = never'),
  statementTimeoutMs: z.number().int().min(0).max(3_600_000).describe('server-side statement_timeout; 0 = none'),
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
