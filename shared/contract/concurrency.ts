import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/**
 * Live state of the stack's concurrency primitives: semaphores, worker pools and rate limiters. Every
 * primitive registered with the stack's concurrency registry appears here; the monitor pushes a full
 * snapshot each tick. Durations are milliseconds, times epoch milliseconds.
 */

/** Which attached process a primitive belongs to; absent for the panel's own stack. */
export const ProcessRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  connected: z.boolean(),
});
export type ProcessRef = z.infer<typeof ProcessRefSchema>;

export const PercentilesSchema = z.object({
  count: z.number().int().describe('values in the recent window (10–20 s)'),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type PercentilesData = z.infer<typeof PercentilesSchema>;

export const LongHolderSchema = z.object({
  label: z.string(),
  weight: z.number(),
  ageMs: z.number(),
});
export type LongHolder = z.infer<typeof LongHolderSchema>;

export const LimitPointSchema = z.object({
  t: z.number().describe('epoch ms'),
  limit: z.number().describe('the permits in force from t on'),
});
export type LimitPoint = z.infer<typeof LimitPointSchema>;

/** What an adaptive semaphore (AIMD or latency gradient) has learned; absent on fixed semaphores. */
export const AdaptiveLimitSchema = z.object({
  algorithm: z.enum(['aimd', 'gradient']),
  limit: z.number().int().describe('permits in force now'),
  estimate: z.number().describe('the fractional estimate the permits are the floor of'),
  min: z.number().int(),
  max: z.number().int(),
  samples: z.number().int().describe('finished calls the algorithm has learned from'),
  drops: z.number().int().describe('calls that came back with 429, overload or timeout'),
  shortRttMs: z.number().nullable().describe('short-term average latency (gradient only)'),
  longRttMs: z.number().nullable().describe('long-term baseline latency (gradient only)'),
  history: z.array(LimitPointSchema).describe('every change of the limit, oldest first (the recent ones)'),
});
export type AdaptiveLimitData = z.infer<typeof AdaptiveLimitSchema>;

export const SemaphoreSnapshotSchema = z.object({
  name: z.string(),
  permits: z.number(),
  inUse: z.number(),
  available: z.number(),
  waiting: z.number().int().describe('callers queued for a permit'),
  waitingWeight: z.number().describe('permits the queued callers ask for in total'),
  maxWaitingSeen: z.number().int(),
  maxWaiting: z.number().int().nullable().describe('queue bound; null = unbounded'),
  acquired: z.number().int().describe('permits granted since start'),
  acquiredPerSec: z.number(),
  timeouts: z.number().int(),
  aborts: z.number().int(),
  rejected: z.number().int().describe('refused because the queue was full'),
  waitMs: PercentilesSchema.describe('time from acquire() to the permit, recent window'),
  holdMs: PercentilesSchema.describe('time a permit was held, recent window'),
  longHoldThresholdMs: z.number(),
  longHolders: z.array(LongHolderSchema).describe('holders older than the threshold, oldest first (at most 10)'),
  longHolderCount: z.number().int(),
  adaptive: AdaptiveLimitSchema.optional().describe('present when the permits are found by an adaptive algorithm'),
  process: ProcessRefSchema.optional().describe('the attached process it lives in; absent = this panel'),
});
export type SemaphoreSnapshot = z.infer<typeof SemaphoreSnapshotSchema>;

export const WorkerPoolSnapshotSchema = z.object({
  name: z.string(),
  size: z.number().int(),
  live: z.number().int().describe('worker threads currently alive'),
  busy: z.number().int(),
  queued: z.number().int(),
  maxQueue: z.number().int(),
  maxQueuedSeen: z.number().int(),
  completed: z.number().int(),
  completedPerSec: z.number(),
  failed: z.number().int(),
  aborted: z.number().int(),
  timeouts: z.number().int(),
  rejected: z.number().int().describe('refused because the queue was full'),
  crashed: z.number().int().describe('workers that died; each was replaced and its task failed'),
  waitMs: PercentilesSchema,
  runMs: PercentilesSchema,
  longRunning: z.array(LongHolderSchema),
  process: ProcessRefSchema.optional().describe('the attached process it lives in; absent = this panel'),
});
export type WorkerPoolSnapshot = z.infer<typeof WorkerPoolSnapshotSchema>;

export const LimiterBucketSchema = z.object({
  name: z.string().describe('requests, tokens, input-tokens, output-tokens, window…'),
  unit: z.string(),
  capacity: z.number(),
  available: z.number().describe('may be negative: debt after a reservation was reconciled upward'),
  refillPerSec: z.number(),
  resetAt: z.number().nullable().describe('when the provider says this bucket is full again'),
  source: z.enum(['config', 'headers']).describe('whether the limit was configured or learned from response headers'),
});
export type LimiterBucket = z.infer<typeof LimiterBucketSchema>;

export const LimiterKindSchema = z.enum(['token-bucket', 'sliding-window-log', 'sliding-window-counter', 'openai', 'anthropic']);
export type LimiterKind = z.infer<typeof LimiterKindSchema>;

export const LimiterSnapshotSchema = z.object({
  name: z.string(),
  kind: LimiterKindSchema,
  buckets: z.array(LimiterBucketSchema),
  admitted: z.number().int(),
  admittedPerSec: z.number(),
  rejected: z.number().int().describe('refused at once: too large, queue full, not retryable'),
  queued: z.number().int(),
  maxQueuedSeen: z.number().int(),
  waited: z.number().int().describe('admissions that had to wait'),
  waitMs: PercentilesSchema,
  http429: z.number().int(),
  http529: z.number().int(),
  retries: z.number().int(),
  nextResetAt: z.number().nullable(),
  pausedUntil: z.number().nullable(),
  pauseReason: z.string().nullable(),
  pauses: z.number().int().describe('times every caller was held back (429 retry-after or 529 backoff) since the limiter started'),
  rampFactor: z.number().nullable().describe('share of the limit usable while ramping up after idle; null = not ramping'),
  lastError: z.string().nullable(),
  process: ProcessRefSchema.optional().describe('the attached process it lives in; absent = this panel'),
});
export type LimiterSnapshot = z.infer<typeof LimiterSnapshotSchema>;

export const DemoLoadStatusSchema = z.object({
  running: z.boolean(),
  startedAt: z.number().nullable(),
  endsAt: z.number().nullable(),
});
export type DemoLoadStatus = z.infer<typeof DemoLoadStatusSchema>;

export const ConcurrencySnapshotSchema = z.object({
  t: z.number(),
  semaphores: z.array(SemaphoreSnapshotSchema),
  workerPools: z.array(WorkerPoolSnapshotSchema),
  limiters: z.array(LimiterSnapshotSchema),
  demo: DemoLoadStatusSchema,
});
export type ConcurrencySnapshot = z.infer<typeof ConcurrencySnapshotSchema>;

export const concurrencyMethods = defineMethods({
  'concurrency.snapshot': {
    description: 'Every registered semaphore, worker pool and limiter, now.',
    params: z.object({}).strict(),
    result: ConcurrencySnapshotSchema,
  },
  'concurrency.demo.start': {
    description:
      'Starts the demo load: a demo semaphore, worker pool and limiters driven by real (synthetic) work, so the pages show live values before any agent runs. Restarts it if running.',
    params: z
      .object({
        durationSec: z.number().int().min(1).max(3600).default(60).describe('how long the demo load runs'),
      })
      .strict(),
    result: DemoLoadStatusSchema,
  },
  'concurrency.demo.stop': {
    description: 'Stops the demo load and unregisters its primitives.',
    params: z.object({}).strict(),
    result: DemoLoadStatusSchema,
  },
});

export const concurrencyEvents = defineEvents({
  'concurrency.snapshot': {
    description: 'Pushed every monitor tick with the state of every registered concurrency primitive.',
    payload: ConcurrencySnapshotSchema,
  },
});
