import { z } from 'zod';
import { defineEvents, defineMethods } from './define';

/** The database doctor's steps, in the order they run. A later step needs what the earlier ones established. */
export const DATABASE_DOCTOR_STEP_IDS = [
  'env',
  'url',
  'container',
  'dns',
  'tcp',
  'tls',
  'auth',
  'database',
  'server',
  'pgbouncer',
  'extensions',
  'privileges',
  'pool',
  'latency',
] as const;

/** The Redis doctor's steps (the shared-limits store), in the order they run. */
export const REDIS_DOCTOR_STEP_IDS = ['url', 'dns', 'tcp', 'tls', 'auth', 'ping', 'scripting', 'eviction', 'latency'] as const;

/** The provider doctor's steps (an LLM provider's API), in the order they run. */
export const PROVIDER_DOCTOR_STEP_IDS = ['key', 'url', 'proxy', 'dns', 'tcp', 'tls', 'http', 'auth', 'model', 'limits', 'latency'] as const;

type AnyDoctorStepId = (typeof DATABASE_DOCTOR_STEP_IDS)[number] | (typeof REDIS_DOCTOR_STEP_IDS)[number] | (typeof PROVIDER_DOCTOR_STEP_IDS)[number];

/** Every doctor's step ids: a report of any doctor uses these. */
export const DOCTOR_STEP_IDS = [...new Set([...DATABASE_DOCTOR_STEP_IDS, ...REDIS_DOCTOR_STEP_IDS, ...PROVIDER_DOCTOR_STEP_IDS])] as [AnyDoctorStepId, ...AnyDoctorStepId[]];
export type DoctorStepId = (typeof DOCTOR_STEP_IDS)[number];

export const DoctorStepStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip']);
export type DoctorStepStatus = z.infer<typeof DoctorStepStatusSchema>;

/**
 * A step's id. Every doctor (database, provider, …) has its own list of steps (DATABASE_DOCTOR_STEP_IDS,
 * REDIS_DOCTOR_STEP_IDS, …), and all share this report shape, so the schema takes any short id.
 */
export const DoctorStepIdSchema = z.string().min(1).max(64);

/**
 * One step of a report, exactly the shape `bulkhead doctor --json` prints (README, CLI section). `detail` is one
 * summary line followed by evidence lines (newline separated); secrets in it are masked.
 */
export const DoctorStepSchema = z.object({
  id: DoctorStepIdSchema,
  title: z.string(),
  status: DoctorStepStatusSchema,
  detail: z.string(),
  remedy: z.string().optional(),
  code: z.string().optional(),
  ms: z.number(),
});
export type DoctorStep = z.infer<typeof DoctorStepSchema>;

/** A whole report: `ok` is false when any step failed; warnings keep it ok. */
export const DoctorReportSchema = z.object({
  ok: z.boolean(),
  target: z.string().describe('the database diagnosed, password masked'),
  steps: z.array(DoctorStepSchema),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

export const StoredDoctorReportSchema = z.object({
  id: z.number().int(),
  at: z.number().describe('epoch ms when the run finished'),
  report: DoctorReportSchema,
});
export type StoredDoctorReport = z.infer<typeof StoredDoctorReportSchema>;

export const DoctorHistoryEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  ok: z.boolean(),
  target: z.string(),
  /** The first failing step, else the first warning, else null. */
  firstProblem: z.object({ id: DoctorStepIdSchema, status: DoctorStepStatusSchema, code: z.string().optional() }).nullable(),
  counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), skip: z.number().int() }),
});
export type DoctorHistoryEntry = z.infer<typeof DoctorHistoryEntrySchema>;

export const doctorMethods = defineMethods({
  'doctor.run': {
    description:
      'Diagnose the RAG database connection step by step; progress is pushed as doctor.progress. Without url it checks what Bulkhead is configured to use.',
    params: z
      .object({
        url: z.string().max(4096).optional().describe('a postgres:// URL to diagnose instead of the configured database'),
      })
      .strict(),
    result: StoredDoctorReportSchema,
  },
  'doctor.history': {
    description: 'Past doctor reports, newest first.',
    params: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    result: z.array(DoctorHistoryEntrySchema),
  },
  'doctor.report': {
    description: 'One stored doctor report in full.',
    params: z.object({ id: z.number().int() }).strict(),
    result: StoredDoctorReportSchema,
  },
});

export const DoctorProgressSchema = z.discriminatedUnion('phase', [
  z.object({
    phase: z.literal('started'),
    runId: z.string(),
    target: z.string(),
    steps: z.array(z.object({ id: DoctorStepIdSchema, title: z.string() })),
  }),
  z.object({ phase: z.literal('running'), runId: z.string(), id: DoctorStepIdSchema }),
  z.object({ phase: z.literal('step'), runId: z.string(), index: z.number().int(), step: DoctorStepSchema }),
  z.object({ phase: z.literal('finished'), runId: z.string(), ok: z.boolean(), reportId: z.number().int().nullable() }),
]);
export type DoctorProgress = z.infer<typeof DoctorProgressSchema>;

export const doctorEvents = defineEvents({
  'doctor.progress': {
    description: 'Each doctor run announces its steps, then each step as it starts and as it ends, then the verdict.',
    payload: DoctorProgressSchema,
  },
});
