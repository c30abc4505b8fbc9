import { z } from 'zod';
import { TargetSpecSchema } from './stress-target';

/**
 * A stress profile as written in resources/stress-profiles/*.json or a custom file: arrival-rate stages
 * (k6's constant-arrival-rate and ramping-arrival-rate), the workflow mix, the in-flight bound and
 * thresholds in k6's syntax. Rates are requests per second, durations seconds.
 */

/** What `stress.start` selects by name: a built-in or saved profile. Never a path. */
export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

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
    congestion: z
      .object({
        knee: z.number().int().min(1).max(100_000).describe('requests in flight served at the base latency'),
        slope: z.number().min(0).max(100).describe('latency added per knee-worth of requests past the knee'),
        cliff: z.number().int().min(0).max(100_000).describe('requests in flight at which new ones get 503/529; 0 = never'),
        capacityChanges: z
          .array(z.object({ atS: z.number().min(0).max(86_400), factor: z.number().positive().max(100) }).strict())
          .max(32)
          .default([])
          .describe('scale knee and cliff by factor from atS seconds into the run'),
      })
      .strict()
      .describe('the simulator slows down past a knee and refuses past a cliff (see adaptive mode)'),
  })
  .partial()
  .strict();
export type ProfileSimulator = z.infer<typeof ProfileSimulatorSchema>;

export const StressProfileSchema = z
  .object({
    name: z
      .string()
      .regex(PROFILE_NAME_PATTERN, 'use lowercase letters, digits, "-" or "_" (at most 64)')
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
    target: TargetSpecSchema.optional().describe('an HTTP endpoint to load instead of the built-in agent stack (the mix is then not used)'),
  })
  .strict();
export type StressProfile = z.infer<typeof StressProfileSchema>;
export type StressProfileInput = z.input<typeof StressProfileSchema>;

/** The most a profile may weigh, as JSON text (a file for the CLI, content over the contract). */
export const PROFILE_MAX_BYTES = 64 * 1024;

/** A path segment or key as it may appear in a message: identifiers as they are, anything else elided (it is input). */
function safeKey(key: PropertyKey): string {
  const text = String(key);
  return /^[A-Za-z_][A-Za-z0-9_-]{0,40}$/.test(text) ? text : '…';
}

/** `stages[2].rate`-style path of an issue, with keys that could carry arbitrary input elided. */
export function issuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : text === '' ? safeKey(key) : `.${safeKey(key)}`;
  return text;
}

/** A zod issue's message without echoing input (zod lists unknown keys verbatim). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const shown = issue.keys.filter((key) => safeKey(key) !== '…').slice(0, 5);
    return shown.length === issue.keys.length ? `unknown field${shown.length > 1 ? 's' : ''} ${shown.map((k) => JSON.stringify(k)).join(', ')}` : `${issue.keys.length} unknown field(s)`;
  }
  return issue.message;
}

/** JSON size in bytes, or Infinity when the value cannot be written as JSON (cycles, BigInt). */
export function jsonBytes(value: unknown): number {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 0 : new TextEncoder().encode(text).length;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The `profile` of stress.start: a built-in or saved profile's name, or a whole profile as a JSON object
 * (validated by StressProfileSchema, at most PROFILE_MAX_BYTES). Paths are not accepted: only the CLI
 * reads profile files, and it sends their content.
 */
export const ProfileParamSchema = z
  .custom<string | StressProfileInput>(() => true)
  .superRefine((value, ctx) => {
    if (typeof value === 'string') {
      if (!PROFILE_NAME_PATTERN.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'a profile name is lowercase letters, digits, "-" or "_" (light, medium, heavy, spike, endurance or a saved one); to run a profile file, send its JSON content as an object (the CLI does this for --profile FILE)',
        });
      }
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      ctx.addIssue({ code: 'custom', message: 'give a profile name, or the profile as a JSON object' });
      return;
    }
    if (jsonBytes(value) > PROFILE_MAX_BYTES) {
      ctx.addIssue({ code: 'custom', message: `the profile is larger than ${PROFILE_MAX_BYTES / 1024} KiB as JSON, or nested too deeply to be a profile` });
      return;
    }
    const parsed = StressProfileSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) ctx.addIssue({ code: 'custom', path: issue.path.map((key) => (typeof key === 'number' ? key : safeKey(key))), message: issueMessage(issue) });
    }
  })
  .transform((value): string | StressProfile => (typeof value === 'string' ? value : StressProfileSchema.parse(value)));
