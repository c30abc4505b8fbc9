import { z } from 'zod';

/**
 * A stress profile as written in resources/stress-profiles/*.json or a custom file: arrival-rate stages
 * (k6's constant-arrival-rate and ramping-arrival-rate), the workflow mix, the in-flight bound and
 * thresholds in k6's syntax. Rates are requests per second, durations seconds.
 */

export const WORKFLOW_NAMES = ['rag-answer', 'ingest', 'noop'] as const;
export const WorkflowNameSchema = z.enum(WORKFLOW_NAMES);
export type WorkflowName = z.infer<typeof WorkflowNameSchema>;

const seconds = z.number().positive().max(7 * 24 * 3600);
const rate = z.number().min(0).max(100_000);

export const ConstantStageSchema = z
  .object({
    executor: z.literal('constant-arrival-rate'),
    durationS: seconds.describe('how long this stage lasts (s)'),
    rate: rate.describe('arrivals per second'),
  })
  .strict();

export const RampingStageSchema = z
  .object({
    executor: z.literal('ramping-arrival-rate'),
    durationS: seconds,
    fromRate: rate.describe('arrivals per second at the start of the stage'),
    toRate: rate.describe('arrivals per second at its end; the rate changes linearly in between'),
  })
  .strict();

export const StageSchema = z.discriminatedUnion('executor', [ConstantStageSchema, RampingStageSchema]);
export type Stage = z.infer<typeof StageSchema>;

export const ThresholdEntrySchema = z.union([
  z.string().min(1),
  z
    .object({
      threshold: z.string().min(1),
      abortOnFail: z.boolean().optional(),
      delayAbortEval: z.string().optional().describe('Go/k6 duration, e.g. "10s"'),
    })
    .strict(),
]);
export type ThresholdEntryData = z.infer<typeof ThresholdEntrySchema>;

export const ThresholdSpecSchema = z.record(z.string(), z.array(ThresholdEntrySchema));
export type ThresholdSpec = z.infer<typeof ThresholdSpecSchema>;

/** Limits for the in-process provider simulator during this profile's runs. */
export const ProfileSimulatorSchema = z
  .object({
    rpm: z.number().int().min(0).max(10_000_000),
    tpm: z.number().int().min(0).max(10_000_000_000),
    latencyMs: z.number().min(0).max(600_000),
    perTokenMs: z.number().min(0).max(60_000),
    jitterMs: z.number().min(0).max(600_000),
  })
  .partial()
  .strict();
export type ProfileSimulator = z.infer<typeof ProfileSimulatorSchema>;

export const StressProfileSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, "-" or "_" (at most 64)')
      .describe('what --profile selects'),
    description: z.string().max(500).default(''),
    mix: z
      .partialRecord(WorkflowNameSchema, z.number().positive())
      .refine((mix) => Object.keys(mix).length > 0, 'name at least one workflow with a positive weight')
      .default({ 'rag-answer': 1 })
      .describe('workflow → relative weight'),
    stages: z.array(StageSchema).min(1).max(100),
    maxVUs: z.number().int().min(1).max(100_000).describe('most requests in flight at once; arrivals beyond it are dropped'),
    gracefulStopS: z.number().min(0).max(600).default(10).describe('after the last arrival, in-flight requests get this long'),
    thresholds: ThresholdSpecSchema.default({}),
    simulator: ProfileSimulatorSchema.optional(),
  })
  .strict();
export type StressProfile = z.infer<typeof StressProfileSchema>;
export type StressProfileInput = z.input<typeof StressProfileSchema>;
