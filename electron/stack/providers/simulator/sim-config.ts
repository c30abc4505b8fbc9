import { z } from 'zod';
import { BulkheadError } from '../../errors';
import { CongestionSchema, DEFAULT_CONGESTION } from './congestion';

/**
 * The simulator's settings, as zod schemas so the CLI, the in-process API and the admin endpoint all
 * validate the same way and a bad value is reported with its path ("limits.openai.rpm: ...").
 * Limits are per minute, as the providers state them; 0 means "no limit of that kind".
 */
const count = z.number().finite().min(0);

export const OpenAILimitsSchema = z.object({
  rpm: count.describe('requests per minute'),
  tpm: count.describe('tokens per minute, charged up front at max(max_tokens × n, prompt estimate)'),
});

export const AccelerationSchema = z.object({
  /** Requests per second always allowed, however quiet the last minute was. */
  floorPerSecond: z.number().finite().min(0),
  /** A second may carry at most this multiple of the previous minute's average per-second rate. */
  factor: z.number().finite().min(1),
});

export const AnthropicLimitsSchema = z.object({
  rpm: count,
  itpm: count.describe('input tokens per minute: input_tokens + cache_creation_input_tokens'),
  otpm: count.describe('output tokens per minute'),
  /** Whether OTPM is reserved at max_tokens and settled at the end, or counted as generated. */
  otpmMode: z.enum(['reserve-max-tokens', 'count-generated']),
  acceleration: AccelerationSchema.nullable(),
});

export const LatencySchema = z.object({
  baseMs: count.describe('time to first byte'),
  perTokenMs: count.describe('added per generated output token'),
  jitterMs: count.describe('uniform extra in [0, jitterMs), from the seeded PRNG'),
});

export const OutputSchema = z.object({
  /** Generated answers have between min and max tokens (seeded), clipped by the request's max_tokens. */
  minTokens: z.number().int().min(1),
  maxTokens: z.number().int().min(1),
});

export const BehaviourSchema = z.object({
  /** Requests answered 429 still take one from the request bucket ("failed requests count"). */
  rejectedRequestsCount: z.boolean(),
  /** Send the x-ratelimit-* / anthropic-ratelimit-* headers (real providers sometimes omit them). */
  rateLimitHeaders: z.boolean(),
  /** Send retry-after-ms / retry-after on 429s (without them only the message text says how long). */
  retryAfterHeaders: z.boolean(),
  /** Out of credits: OpenAI insufficient_quota, Anthropic enforced_spend_limit_reached. */
  quotaExhausted: z.boolean(),
});

export const SimulatorSettingsSchema = z.object({
  openai: OpenAILimitsSchema,
  anthropic: AnthropicLimitsSchema,
  latency: LatencySchema,
  output: OutputSchema,
  behaviour: BehaviourSchema,
  congestion: CongestionSchema,
});
export type SimulatorSettings = z.infer<typeof SimulatorSettingsSchema>;
export type OpenAILimits = z.infer<typeof OpenAILimitsSchema>;
export type AnthropicLimits = z.infer<typeof AnthropicLimitsSchema>;
export type LatencySettings = z.infer<typeof LatencySchema>;

/** A partial update: every group and field optional. */
export const SettingsPatchSchema = z
  .object({
    openai: OpenAILimitsSchema.partial().strict(),
    anthropic: AnthropicLimitsSchema.partial().strict(),
    latency: LatencySchema.partial().strict(),
    output: OutputSchema.partial().strict(),
    behaviour: BehaviourSchema.partial().strict(),
    congestion: CongestionSchema.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/**
 * Defaults sized for a laptop run rather than a real tier: 600 RPM (10/s) keeps a stress run's limit
 * visible without saturating two cores; latency 0 so the simulator itself is never the bottleneck.
 */
export const DEFAULT_SETTINGS: SimulatorSettings = {
  openai: { rpm: 600, tpm: 200_000 },
  anthropic: { rpm: 600, itpm: 200_000, otpm: 80_000, otpmMode: 'reserve-max-tokens', acceleration: null },
  latency: { baseMs: 0, perTokenMs: 0, jitterMs: 0 },
  output: { minTokens: 16, maxTokens: 128 },
  behaviour: { rejectedRequestsCount: true, rateLimitHeaders: true, retryAfterHeaders: true, quotaExhausted: false },
  congestion: DEFAULT_CONGESTION,
};

/** Applies a patch after validating it; throws a BulkheadError naming the bad field. */
export function applySettingsPatch(current: SimulatorSettings, patch: unknown): SimulatorSettings {
  const parsed = SettingsPatchSchema.safeParse(patch ?? {});
  if (!parsed.success) throw invalidSettings(parsed.error);
  const p = parsed.data;
  const next: SimulatorSettings = {
    openai: { ...current.openai, ...p.openai },
    anthropic: { ...current.anthropic, ...p.anthropic },
    latency: { ...current.latency, ...p.latency },
    output: { ...current.output, ...p.output },
    behaviour: { ...current.behaviour, ...p.behaviour },
    congestion: { ...current.congestion, ...p.congestion },
  };
  if (next.output.minTokens > next.output.maxTokens) {
    throw new BulkheadError('simulator.invalid_settings', `output.minTokens (${next.output.minTokens}) is above output.maxTokens (${next.output.maxTokens}).`, {
      remedy: 'Set output.minTokens ≤ output.maxTokens.',
    });
  }
  return next;
}

export function invalidSettings(error: z.ZodError): BulkheadError {
  const detail = error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return new BulkheadError('simulator.invalid_settings', `Invalid simulator settings — ${detail}.`, {
    remedy: 'Fix the named field: limits are non-negative numbers per minute, latencies in milliseconds, rates between 0 and 1.',
  });
}
