import { z } from 'zod';
import { defineEvents, defineMethods } from './define';
import { ProviderUrlSchema } from './provider-url';
import { ProfileParamSchema, StressProfileSchema, ThresholdSpecSchema, WorkflowNameSchema } from './stress-profile';

/**
 * Stress runs: start one (a profile, a mode, optional overrides), watch it live, stop it, and read the
 * persisted runs with their per-second time series. Durations in ms unless the name says otherwise.
 */

/** governed: every bound fixed; adaptive: governed, with provider calls and retrieval on adaptive limits; unbounded: the before-state. */
export const StackModeSchema = z.enum(['governed', 'adaptive', 'unbounded']);
export type StackMode = z.infer<typeof StackModeSchema>;
export const ProviderChoiceSchema = z.enum(['simulator', 'openai', 'anthropic']);
export type ProviderChoice = z.infer<typeof ProviderChoiceSchema>;
export const RunStatusSchema = z.enum(['running', 'completed', 'stopped', 'aborted', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

const Spread = z.object({ p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), max: z.number() });

/** What a run against an HTTP target adds to its summary. URL and headers as stored: secrets masked. */
export const TargetSummarySchema = z.object({
  url: z.string(),
  method: z.string(),
  sent: z.number().int().describe('requests whose headers were written to a connection (what the target could have seen)'),
  status: z.record(z.string(), z.number().int()).describe('responses by HTTP status, expected or not'),
  bytes_in: z.number().int().describe('response body bytes received'),
  bytes_out: z.number().int().describe('request body bytes sent'),
  ttfb_ms: Spread.describe('time to first byte of the body (first SSE event for event streams) from intended start, successful requests'),
  ttlb_ms: Spread.describe('time to last byte from intended start, successful requests (the same as latency_ms)'),
  connections: z.object({
    max: z.number().int().describe('the pool bound'),
    peak_open: z.number().int(),
    opened: z.number().int().describe('connections opened over the run'),
    reuse: z.number().describe('share of sent requests that went on an already open connection'),
  }),
});
export type TargetSummary = z.infer<typeof TargetSummarySchema>;

const Percentiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });

/** One second of a run. Counts are for that second; `dbConnections` is the most seen in it. */
export const RunSampleSchema = z.object({
  t: z.number().describe('epoch ms at the end of the second'),
  second: z.number().int().describe('seconds since the run started (1 = the first second)'),
  targetRate: z.number().describe('planned arrivals per second at this point'),
  started: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  dropped: z.number().int(),
  late: z.number().int(),
  inFlight: z.number().int(),
  latencyMs: Percentiles.describe('successful requests that finished in this second, from their intended start'),
  errors: z.record(z.string(), z.number().int()).describe('failures in this second by kind'),
  http429: z.number().int(),
  retries: z.number().int(),
  dbConnections: z.number().int().nullable().describe('server connections (pg_stat_activity), max in the second'),
  poolWaiting: z.number().int().nullable(),
  semaphoreWaitP99Ms: z.number().nullable(),
  limiterWaitP99Ms: z.number().nullable(),
  poolAcquireP99Ms: z.number().nullable(),
  providerP95Ms: z.number().nullable(),
  eventLoopP99Ms: z.number(),
  rssMb: z.number(),
  heapUsedMb: z.number(),
  adaptiveLimits: z
    .record(z.string(), z.number().int())
    .optional()
    .describe('adaptive mode only: the permits each adaptive limit had at the end of the second (provider, retrieval)'),
  http: z
    .object({
      ttfbP95Ms: z.number().nullable().describe('time to first byte (first SSE event) from intended start, successful requests finished in this second'),
      ttfbP99Ms: z.number().nullable(),
      bytesIn: z.number().int().describe('response body bytes received in this second'),
      statuses: z.record(z.string(), z.number().int()).describe('responses by HTTP status in this second'),
      connections: z.number().int().describe('open connections to the target at the end of the second'),
      connectionsOpened: z.number().int().describe('new connections opened in this second'),
    })
    .optional()
    .describe('only for runs against an HTTP target'),
});
export type RunSample = z.infer<typeof RunSampleSchema>;

/** The result of a run: exactly the `bulkhead stress --json` object (README, CLI section), plus status and extras. */
export const RunSummarySchema = z.object({
  run_id: z.string(),
  profile: z.string(),
  mode: StackModeSchema,
  ok: z.boolean(),
  status: RunStatusSchema,
  thresholds: z.array(z.object({ expr: z.string(), ok: z.boolean(), value: z.number().nullable() })),
  requests: z.object({
    planned: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    dropped: z.number().int(),
    late: z.number().int().describe('started more than 20 ms after they were due'),
    shed: z.number().int().describe('failed fast on purpose: a governed queue was full or a wait timed out'),
  }),
  rate: z.object({
    target: z.number().describe('planned mean: planned arrivals / planned duration'),
    achieved: z.number().describe("started arrivals / the schedule time they cover (the plan's length, or for a run stopped early up to the end of the last due arrival's slot)"),
    peak: z.number().describe('planned peak: the highest arrival rate of any stage'),
  }),
  latency_ms: z.object({ p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), max: z.number() }),
  errors: z.record(z.string(), z.number().int()),
  provider: z.object({ http_429: z.number().int(), retries: z.number().int(), calls: z.number().int(), name: z.string() }),
  db: z.object({
    max_server_connections: z.number().int().nullable(),
    pool_max: z.number().int().nullable(),
    acquire_wait_p99_ms: z.number().nullable(),
    too_many_clients: z.number().int(),
  }),
  runtime: z.object({ event_loop_p99_ms: z.number(), heap_peak_mb: z.number(), rss_peak_mb: z.number() }),
  duration_s: z.number(),
  chaos: z.string().nullable(),
  target: TargetSummarySchema.optional().describe('only for runs against an HTTP target'),
  regression: z
    .object({ baseline: z.string(), regressed: z.boolean(), detail: z.string() })
    .nullable()
    .describe('filled when the run was compared with a saved baseline'),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunConfigSchema = z.object({
  profile: StressProfileSchema.describe('the profile as run, after --rate/--duration scaling'),
  mode: StackModeSchema,
  provider: ProviderChoiceSchema,
  providerUrl: z.string().nullable(),
  chaos: z.string().nullable(),
  rateOverride: z.number().nullable(),
  durationOverrideS: z.number().nullable(),
  baseline: z.string().nullable(),
  saveBaseline: z.string().nullable(),
  source: z.enum(['panel', 'cli']),
  /** Where provider calls went (key masked), e.g. "simulator http://127.0.0.1:41234/v1". */
  providerEndpoint: z.string().nullable(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

export const RunRecordSchema = z.object({
  id: z.string(),
  name: z.string().describe('profile name'),
  status: RunStatusSchema,
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  config: RunConfigSchema,
  summary: RunSummarySchema.nullable(),
  error: z.string().nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const RunPhaseSchema = z.enum(['preparing', 'running', 'finishing', 'done']);
export type RunPhase = z.infer<typeof RunPhaseSchema>;

export const RunProgressSchema = z.object({
  runId: z.string(),
  profile: z.string(),
  mode: StackModeSchema,
  status: RunStatusSchema,
  phase: RunPhaseSchema.describe('preparing the stack, sending arrivals, waiting for the last answers, done'),
  elapsedMs: z.number(),
  plannedMs: z.number(),
  targetRate: z.number().describe('planned arrivals per second now'),
  achievedRate: z.number().describe('arrivals started in the last second'),
  requests: z.object({
    planned: z.number().int(),
    started: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    dropped: z.number().int(),
    late: z.number().int(),
    inFlight: z.number().int(),
  }),
  latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }).describe('since the start of the run'),
  errors: z.record(z.string(), z.number().int()),
  http429: z.number().int(),
  dbConnections: z.number().int().nullable(),
  thresholds: z.array(z.string()),
  target: z.string().optional().describe('the HTTP target this run loads (secrets masked); absent for runs on the built-in stack'),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const ProfileInfoSchema = z.object({
  profile: StressProfileSchema,
  builtin: z.boolean(),
  peakRate: z.number(),
  durationS: z.number(),
  plannedRequests: z.number().int(),
});
export type ProfileInfo = z.infer<typeof ProfileInfoSchema>;

export const StartRunParamsSchema = z
  .object({
    profile: ProfileParamSchema.describe('a built-in or saved profile name, or a whole profile as a JSON object (never a path)'),
    mode: StackModeSchema.default('governed'),
    rate: z.number().positive().max(100_000).optional().describe("the profile's peak arrival rate (req/s)"),
    durationS: z.number().positive().max(7 * 24 * 3600).optional().describe("the profile's total length"),
    thresholds: ThresholdSpecSchema.optional().describe("replaces the profile's thresholds"),
    provider: ProviderChoiceSchema.default('simulator'),
    providerUrl: ProviderUrlSchema.optional().describe(
      "an OpenAI- or Anthropic-compatible base URL; the provider's key is only sent there when the key is bound to its origin",
    ),
    chaos: z.string().min(1).optional().describe('a chaos scenario to run alongside'),
    baseline: z.string().min(1).optional().describe('compare the result with this saved baseline'),
    saveBaseline: z.string().min(1).optional().describe('save the result as this baseline'),
  })
  .strict()
  .refine((p) => !(p.baseline && p.saveBaseline), { message: 'give either baseline or saveBaseline, not both', path: ['saveBaseline'] })
  .refine((p) => !(p.provider === 'simulator' && p.providerUrl !== undefined), {
    message: 'a provider URL needs provider "openai" or "anthropic"; the built-in simulator has its own',
    path: ['providerUrl'],
  });
export type StartRunParams = z.input<typeof StartRunParamsSchema>;

export const CompareSideSchema = z.object({ run: RunRecordSchema, samples: z.array(RunSampleSchema) });

export const RunExportFormatSchema = z.enum(['json', 'html']);
export type RunExportFormat = z.infer<typeof RunExportFormatSchema>;

export const RunExportSchema = z.object({
  filename: z.string().describe('a suggested file name, safe on every platform'),
  mimeType: z.string(),
  content: z.string().describe('the whole file: JSON with every sample, or a self-contained HTML report'),
});
export type RunExport = z.infer<typeof RunExportSchema>;

export const RunsFilterSchema = z
  .object({
    limit: z.number().int().min(1).max(1000).default(100),
    profile: z.string().min(1).optional().describe('only runs of this profile'),
    mode: StackModeSchema.optional(),
    status: RunStatusSchema.optional(),
  })
  .strict();
export type RunsFilter = z.infer<typeof RunsFilterSchema>;

export const stressMethods = defineMethods({
  'stress.profiles': {
    description: 'Built-in and saved stress profiles, with their peak rate, length and planned requests.',
    params: z.object({}).strict(),
    result: z.array(ProfileInfoSchema),
  },
  'stress.start': {
    description: 'Starts a stress run (one at a time). Fails with STRESS_BUSY while another runs.',
    params: StartRunParamsSchema,
    result: z.object({ runId: z.string() }),
  },
  'stress.stop': {
    description: 'Stops the running stress run: no new arrivals, in-flight work cancelled; its result is kept.',
    params: z.object({ runId: z.string().optional() }).strict(),
    result: z.object({ stopped: z.boolean() }),
  },
  'stress.status': {
    description: 'The run in progress, or null.',
    params: z.object({}).strict(),
    result: RunProgressSchema.nullable(),
  },
  'stress.runs.list': {
    description: 'Stored runs, newest first; optionally only one profile, mode or status.',
    params: RunsFilterSchema,
    result: z.array(RunRecordSchema),
  },
  'stress.runs.get': {
    description: 'One run with its per-second samples (thinned to at most maxSamples points).',
    params: z.object({ runId: z.string(), maxSamples: z.number().int().min(10).max(20_000).default(1_800) }).strict(),
    result: CompareSideSchema,
  },
  'stress.runs.compare': {
    description: 'Two runs side by side (e.g. governed vs unbounded), each with its samples.',
    params: z.object({ a: z.string(), b: z.string(), maxSamples: z.number().int().min(10).max(20_000).default(1_800) }).strict(),
    result: z.object({ a: CompareSideSchema, b: CompareSideSchema }),
  },
  'stress.runs.delete': {
    description: 'Deletes a finished run and its samples. Fails with STRESS_RUN_RUNNING for the run going now (stop it first).',
    params: z.object({ runId: z.string() }).strict(),
    result: z.object({ deleted: z.boolean() }),
  },
  'stress.runs.export': {
    description: 'One stored run as a file: JSON with every per-second sample, or a self-contained HTML report (inline CSS and SVG, no external requests).',
    params: z.object({ runId: z.string(), format: RunExportFormatSchema }).strict(),
    result: RunExportSchema,
  },
});

export const stressEvents = defineEvents({
  'stress.progress': {
    description: 'Pushed 4 times a second while a run is going, and once when it ends.',
    payload: RunProgressSchema,
  },
  'stress.sample': {
    description: 'Pushed once per second of a run with that second.',
    payload: z.object({ runId: z.string(), sample: RunSampleSchema }),
  },
  'stress.finished': {
    description: 'Pushed when a run ends, with its stored record.',
    payload: RunRecordSchema,
  },
});

export { WorkflowNameSchema };
