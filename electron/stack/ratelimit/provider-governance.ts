import type { Clock } from '../clock/clock';
import type { ProviderName } from '../providers/provider-types';
import type { LimiterStore } from './limiter-store';
import { ProviderLimiter, type ProviderLimiterOptions } from './provider/provider-limiter';
import { RetryLoop, type RetryLoopOptions } from './retry-loop';
import { stackLimiterStore } from './stack-limiter-store';

/** Known limits per minute; anything missing is learned from response headers. */
export interface GovernanceLimits {
  rpm: number;
  /** OpenAI TPM; for Anthropic the input-token limit (ITPM) unless `itpm` is given. */
  tpm: number;
  itpm?: number;
  otpm?: number;
}

export interface ProviderGovernanceOptions {
  provider: ProviderName;
  limits: GovernanceLimits | null;
  clock: Clock;
  /** Shown on the Limiters page, e.g. `provider.openai`. */
  name: string;
  /** The budget its buckets and pauses are keyed by (BoundApiKey.budgetScope()); defaults to `name`. */
  scope?: string;
  /** Where to show it: the stack's ConcurrencyRegistry (anything with `register`). */
  registry?: { register(limiter: ProviderLimiter): () => void };
  store?: LimiterStore;
  retry?: Omit<RetryLoopOptions, 'clock' | 'onRetry'>;
  limiter?: Partial<Omit<ProviderLimiterOptions, 'name' | 'provider' | 'clock' | 'limits' | 'store'>>;
}

export interface ProviderGovernance {
  /** The limiter, as the providers' client expects it (ProviderGovernor). */
  readonly governor: ProviderLimiter;
  /** The one retry loop; it counts its retries on the limiter. */
  readonly retry: RetryLoop;
  /** Rejects waiting calls and takes the limiter off the Limiters page. */
  close(): void;
}

/**
 * Governed mode's provider side in one call: a ProviderLimiter for the provider's limits, the RetryLoop
 * that is the only place calls are retried (SDK clients run with maxRetries 0), both wired so retries
 * show on the limiter, and the limiter registered with the panel until close().
 */
export function createProviderGovernance(options: ProviderGovernanceOptions): ProviderGovernance {
  const limits = options.limits;
  // BULKHEAD_REDIS_URL shares every stack limiter's buckets and pauses through Redis (stack-limiter-store.ts).
  const store = options.store ?? stackLimiterStore();
  const limiter = new ProviderLimiter({
    ...options.limiter,
    name: options.name,
    ...(options.scope ? { scope: options.scope } : {}),
    provider: options.provider,
    clock: options.clock,
    ...(store ? { store } : {}),
    limits:
      limits === null
        ? {}
        : options.provider === 'openai'
          ? { requestsPerMinute: limits.rpm, tokensPerMinute: limits.tpm }
          : { requestsPerMinute: limits.rpm, inputTokensPerMinute: limits.itpm ?? limits.tpm, outputTokensPerMinute: limits.otpm ?? null },
  });
  const retry = new RetryLoop({ ...options.retry, clock: options.clock, onRetry: () => limiter.noteRetry() });
  const unregister = options.registry?.register(limiter) ?? (() => undefined);
  return {
    governor: limiter,
    retry,
    close: () => {
      limiter.close();
      unregister();
    },
  };
}
