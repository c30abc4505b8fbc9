import type { LimiterBucket } from '../../../../shared/contract/concurrency';
import type { RateLimitHeaders, RateLimitWindow } from '../../providers/rate-limit-headers';
import type { ProviderName, Usage } from '../../providers/provider-types';
import type { BucketSpec } from '../limiter-store';

/**
 * The buckets of each provider, as docs/provider-rate-limit-headers.md describes their limits:
 * - OpenAI: `requests` (RPM) and `tokens` (TPM); a call is charged max(max_tokens × n, prompt estimate).
 * - Anthropic: `requests` (RPM), `input-tokens` (ITPM: input + cache creation, not cache reads) and
 *   `output-tokens` (OTPM), all continuously refilled.
 * Limits may be configured or unknown; unknown buckets appear when response headers first report them.
 */
export type BucketName = 'requests' | 'tokens' | 'input-tokens' | 'output-tokens';

export interface ProviderLimitsConfig {
  requestsPerMinute?: number | null;
  /** OpenAI TPM. */
  tokensPerMinute?: number | null;
  /** Anthropic ITPM. */
  inputTokensPerMinute?: number | null;
  /** Anthropic OTPM. */
  outputTokensPerMinute?: number | null;
}

export interface ProviderBucket {
  readonly name: BucketName;
  readonly unit: string;
  /** The nominal limit per minute (configured, or the headers' `limit`). */
  limitPerMinute: number;
  /**
   * spec.capacity is the effective burst — how much the provider's bucket really holds, which may be
   * only a few seconds of the per-minute rate (effective-burst.ts) — and spec.refillPerSec the rate.
   */
  spec: BucketSpec;
  /** The largest level the provider's headers have shown since the limit last changed; null = not yet seen. */
  largestSeen: number | null;
  source: 'config' | 'headers';
  /** When the provider said the bucket will be full again. */
  resetAt: number | null;
}

/** What one call needs from each bucket (the limiter turns it into charges). */
export interface CallDemand {
  estimatedInputTokens: number;
  maxOutputTokens: number;
}

export type OutputAccounting = 'reserve-max' | 'actual';

export const BUCKETS_OF: Record<ProviderName, readonly BucketName[]> = {
  openai: ['requests', 'tokens'],
  anthropic: ['requests', 'input-tokens', 'output-tokens'],
};

export function configuredPerMinute(limits: ProviderLimitsConfig, name: BucketName): number | null {
  const value =
    name === 'requests'
      ? limits.requestsPerMinute
      : name === 'tokens'
        ? limits.tokensPerMinute
        : name === 'input-tokens'
          ? limits.inputTokensPerMinute
          : limits.outputTokensPerMinute;
  return value !== undefined && value !== null && value > 0 ? value : null;
}

export function makeBucket(keyPrefix: string, name: BucketName, perMinute: number, source: 'config' | 'headers'): ProviderBucket {
  return {
    name,
    unit: name === 'requests' ? 'requests' : 'tokens',
    limitPerMinute: perMinute,
    spec: { key: `${keyPrefix}:${name}`, capacity: perMinute, refillPerSec: perMinute / 60 },
    largestSeen: null,
    source,
    resetAt: null,
  };
}

/** Units each bucket is charged before the call. */
export function costOf(provider: ProviderName, bucket: BucketName, demand: CallDemand, outputAccounting: OutputAccounting): number {
  if (bucket === 'requests') return 1;
  if (provider === 'openai') return Math.max(demand.maxOutputTokens, demand.estimatedInputTokens);
  if (bucket === 'input-tokens') return demand.estimatedInputTokens;
  if (bucket === 'output-tokens') return outputAccounting === 'reserve-max' ? demand.maxOutputTokens : 0;
  return 0;
}

/** Units each bucket should have been charged, now that usage is known. */
export function actualOf(provider: ProviderName, bucket: BucketName, usage: Usage): number {
  if (bucket === 'requests') return 1;
  if (provider === 'openai') return usage.inputTokens + usage.outputTokens;
  // Anthropic ITPM counts input and cache creation; cache reads are free against the limit.
  if (bucket === 'input-tokens') return usage.inputTokens + usage.cacheCreationTokens;
  if (bucket === 'output-tokens') return usage.outputTokens;
  return 0;
}

export function windowFor(parsed: RateLimitHeaders, name: BucketName): RateLimitWindow | null {
  if (name === 'requests') return parsed.requests;
  if (name === 'tokens') return parsed.tokens;
  if (name === 'input-tokens') return parsed.inputTokens;
  return parsed.outputTokens;
}

/**
 * The refill rate a window implies. Limits are per minute, except that OpenAI reports daily limits
 * (free tiers) in the same headers: when the time-to-full says the bucket refills far slower than
 * limit/60 per second, that slower rate is the truth.
 */
export function refillPerSecFor(window: RateLimitWindow, limit: number): number {
  const perMinute = limit / 60;
  if (window.remaining !== null && window.msUntilFull !== null && window.msUntilFull > 0 && window.remaining < limit) {
    const observed = (limit - window.remaining) / (window.msUntilFull / 1000);
    if (observed < perMinute / 2) return observed;
  }
  return perMinute;
}

/**
 * What a header's `remaining` lets us assume is left. Anthropic rounds token counts to the nearest
 * thousand, so up to 500 fewer may really be left (we assume the worst unless the bucket reads full).
 */
export function trustedRemaining(provider: ProviderName, name: BucketName, remaining: number, limit: number): number {
  if (provider !== 'anthropic' || name === 'requests' || remaining >= limit) return remaining;
  return Math.max(0, remaining - 500);
}

export function bucketSnapshot(bucket: ProviderBucket, available: number): LimiterBucket {
  return {
    name: bucket.name,
    unit: bucket.unit,
    capacity: bucket.spec.capacity,
    available: Math.round(available * 100) / 100,
    refillPerSec: Math.round(bucket.spec.refillPerSec * 1000) / 1000,
    resetAt: bucket.resetAt,
    source: bucket.source,
  };
}
