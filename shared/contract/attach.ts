import { z } from 'zod';
import { defineEvents, defineMethods } from './define';
import { LimiterSnapshotSchema, SemaphoreSnapshotSchema, WorkerPoolSnapshotSchema } from './concurrency';

/**
 * Live attach: processes outside the panel (anyone's agents, in any language) report their semaphores,
 * limiters, worker pools and connection pools to it. Two halves live here:
 *
 * - the attach protocol — the messages an attached process sends over the attach WebSocket and the
 *   answers it gets (docs/attach-protocol.md explains them in prose); report-only: there is no message
 *   that asks the panel to do anything;
 * - the panel's view of it — the attach URL to give your processes, and the process list.
 */

export const ATTACH_PROTOCOL_VERSION = 1;
/** Largest frame the endpoint accepts; a bigger one closes the connection (WebSocket code 1009). */
export const ATTACH_MAX_MESSAGE_BYTES = 256 * 1024;
/** Most primitives of one kind in one report; more is a schema error, not a truncation. */
export const ATTACH_MAX_PRIMITIVES = 200;

const label = z.string().min(1).max(200);

/** First message on every connection: who is reporting. */
export const AttachHelloSchema = z
  .object({
    type: z.literal('hello'),
    protocol: z.literal(ATTACH_PROTOCOL_VERSION),
    /** Random per process start; a reconnect with the same id is the same process coming back. */
    instanceId: z.string().min(8).max(64).regex(/^[\w-]+$/),
    name: label.describe('BULKHEAD_PROCESS_NAME, else the command line, shortened'),
    pid: z.number().int().min(0).max(2 ** 31),
    host: label.describe('the machine the process runs on (os.hostname())'),
    startedAt: z.number().describe('epoch ms the process started'),
    language: z.string().min(1).max(40).describe('node, python…'),
    library: z.string().max(80).optional().describe('reporter name and version'),
  })
  .strict();
export type AttachHello = z.infer<typeof AttachHelloSchema>;

/**
 * A semaphore as another language reports it: name, permits and in use are required; every statistic
 * the stack's own semaphores have may be left out and reads as zero / empty.
 */
export const AttachedSemaphoreSchema = SemaphoreSnapshotSchema.omit({ process: true }).partial().required({ name: true, permits: true, inUse: true });
export type AttachedSemaphoreReport = z.infer<typeof AttachedSemaphoreSchema>;
export const AttachedWorkerPoolSchema = WorkerPoolSnapshotSchema.omit({ process: true }).partial().required({ name: true, size: true, busy: true });
export type AttachedWorkerPoolReport = z.infer<typeof AttachedWorkerPoolSchema>;
export const AttachedLimiterSchema = LimiterSnapshotSchema.omit({ process: true }).partial().required({ name: true, kind: true });
export type AttachedLimiterReport = z.infer<typeof AttachedLimiterSchema>;

/** A connection pool (e.g. the library's PostgreSQL pool) as counts. */
export const AttachedPoolSchema = z
  .object({
    name: label,
    total: z.number().int().min(0),
    idle: z.number().int().min(0),
    waiting: z.number().int().min(0),
    leased: z.number().int().min(0),
    min: z.number().int().min(0),
    max: z.number().int().min(0),
    leaks: z.number().int().min(0).default(0),
  });
export type AttachedPool = z.infer<typeof AttachedPoolSchema>;

/** The state of every primitive the process has, now. Each report replaces the previous one. */
export const AttachReportSchema = z
  .object({
    type: z.literal('report'),
    seq: z.number().int().min(0),
    t: z.number().describe('epoch ms the snapshot was taken'),
    semaphores: z.array(AttachedSemaphoreSchema).max(ATTACH_MAX_PRIMITIVES).default([]),
    workerPools: z.array(AttachedWorkerPoolSchema).max(ATTACH_MAX_PRIMITIVES).default([]),
    limiters: z.array(AttachedLimiterSchema).max(ATTACH_MAX_PRIMITIVES).default([]),
    pools: z.array(AttachedPoolSchema).max(ATTACH_MAX_PRIMITIVES).default([]),
    dropped: z.number().int().min(0).default(0).describe('reports the process dropped because its buffer was full'),
  })
  .strict();
export type AttachReport = z.infer<typeof AttachReportSchema>;
export type AttachReportInput = z.input<typeof AttachReportSchema>;

/** Everything an attached process may send. */
export const AttachClientMessageSchema = z.discriminatedUnion('type', [AttachHelloSchema, AttachReportSchema]);
export type AttachClientMessage = z.infer<typeof AttachClientMessageSchema>;

export const AttachRefusalCodeSchema = z.enum([
  'bad_message', // not JSON, not matching the schema
  'report_only', // asked the panel to do something
  'hello_first', // a report before hello
  'too_fast', // more messages per second than allowed
]);
export type AttachRefusalCode = z.infer<typeof AttachRefusalCodeSchema>;

/** What the panel answers: welcome after hello, refused (then close) on anything it will not take. */
export const AttachServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), processId: z.string(), reportIntervalMs: z.number().int() }),
  z.object({ type: z.literal('refused'), code: AttachRefusalCodeSchema, message: z.string() }),
]);
export type AttachServerMessage = z.infer<typeof AttachServerMessageSchema>;

// ---- the panel's side ----

export const AttachedProcessSchema = z.object({
  id: z.string(),
  name: z.string(),
  pid: z.number().int(),
  host: z.string(),
  language: z.string(),
  library: z.string().nullable(),
  startedAt: z.number(),
  state: z.enum(['connected', 'disconnected']),
  connectedAt: z.number(),
  disconnectedAt: z.number().nullable(),
  lastReportAt: z.number().nullable(),
  reports: z.number().int(),
  connections: z.number().int().describe('times it connected (1 + reconnects)'),
  dropped: z.number().int().describe('reports the process says it dropped'),
  primitives: z.object({ semaphores: z.number().int(), workerPools: z.number().int(), limiters: z.number().int(), pools: z.number().int() }),
});
export type AttachedProcess = z.infer<typeof AttachedProcessSchema>;

export const AttachedProcessPoolSchema = AttachedPoolSchema.extend({ processId: z.string(), processName: z.string(), connected: z.boolean() });
export type AttachedProcessPool = z.infer<typeof AttachedProcessPoolSchema>;

export const AttachProcessListSchema = z.object({
  t: z.number(),
  processes: z.array(AttachedProcessSchema),
  pools: z.array(AttachedProcessPoolSchema).describe("attached processes' connection pools (the Pool page)"),
});
export type AttachProcessList = z.infer<typeof AttachProcessListSchema>;

export const AttachInfoSchema = z.object({
  enabled: z.boolean(),
  /** `ws://127.0.0.1:PORT/attach?token=…`; null when the endpoint is off. */
  url: z.string().nullable(),
  /** The one line to paste: `BULKHEAD_ATTACH=<url>`. */
  envLine: z.string().nullable(),
});
export type AttachInfo = z.infer<typeof AttachInfoSchema>;

export const attachMethods = defineMethods({
  'attach.info': {
    description: 'The attach URL (with its token) other processes report to, as the BULKHEAD_ATTACH line to copy.',
    params: z.object({}).strict(),
    result: AttachInfoSchema,
  },
  'attach.processes': {
    description: 'Attached processes, connected and recently disconnected, and their connection pools.',
    params: z.object({}).strict(),
    result: AttachProcessListSchema,
  },
});

export const attachEvents = defineEvents({
  'attach.processes': {
    description: 'Pushed every monitor tick with the attached processes.',
    payload: AttachProcessListSchema,
  },
});
