import { z } from 'zod';
import { defineMethods } from './define';
import { DoctorReportSchema } from './doctor';

/** The Redis store for shared limits, diagnosed like the database (the Doctor page's Redis section). */
export const redisDoctorMethods = defineMethods({
  'doctor.redis': {
    description:
      'Diagnose the Redis store for shared limits: URL, DNS, TCP, TLS, AUTH/ACL, PING, Lua scripting, maxmemory-policy, latency. Without url it checks BULKHEAD_REDIS_URL. Reports are not stored.',
    params: z
      .object({
        url: z.string().max(4096).optional().describe('a redis:// or rediss:// URL to diagnose instead of BULKHEAD_REDIS_URL'),
      })
      .strict(),
    result: DoctorReportSchema,
  },
});

const AdminRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

/** What the PgBouncer admin console says, for the Pool page; `configured` false when no admin URL is set. */
export const PgbouncerViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('not-configured'), variable: z.string() }),
  z.object({ state: z.literal('unreachable'), adminUrl: z.string().describe('password masked'), code: z.string(), message: z.string() }),
  z.object({
    state: z.literal('ok'),
    adminUrl: z.string().describe('password masked'),
    version: z.string(),
    pools: z.array(AdminRowSchema).describe('SHOW POOLS'),
    stats: z.array(AdminRowSchema).describe('SHOW STATS'),
  }),
]);
export type PgbouncerView = z.infer<typeof PgbouncerViewSchema>;

export const pgbouncerMethods = defineMethods({
  'pool.pgbouncer': {
    description: "PgBouncer's SHOW POOLS and SHOW STATS from its admin console, when BULKHEAD_PGBOUNCER_ADMIN_URL is set.",
    params: z.object({}).strict(),
    result: PgbouncerViewSchema,
  },
});
