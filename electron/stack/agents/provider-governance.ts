import type { Clock } from '../clock/clock';
import type { ProviderGovernor, RetryPolicy } from '../providers/call-pipeline';
import type { ProviderName } from '../providers/provider-types';
import { ProviderLimiter } from '../ratelimit/provider/provider-limiter';
import { RetryLoop } from '../ratelimit/retry-loop';

/** Known limits of the provider (the simulator's settings); null = learn them from response headers. */
export interface ProviderLimits {
  rpm: number;
  tpm: number;
}

/** Governed mode's provider side: the limiter (as the client's governor) and the one retry loop. */
export interface ProviderGovernance {
  readonly governor: ProviderGovernor;
  readonly retry: RetryPolicy;
  /** The limiter itself, for the Limiters page. */
  readonly limiter: ProviderLimiter | null;
  /** Closes the limiter (and takes it off the Limiters page). */
  close(): void;
}

export type ProviderGovernanceFactory = (options: { provider: ProviderName; limits: ProviderLimits | null; clock: Clock; name: string }) => ProviderGovernance;

/**
 * The provider limiter (OpenAI or Anthropic buckets, header adaptation, 429 pause) and the retry loop
 * (backoff with full jitter, honouring retry-after), as governed runs use them. Limits known up front
 * (the simulator's) are configured; a real provider's are learned from its response headers.
 */
export const providerGovernance: ProviderGovernanceFactory = ({ provider, limits, clock, name }) => {
  const limiter = new ProviderLimiter({
    name,
    provider,
    clock,
    ...(limits
      ? {
          limits:
            provider === 'openai'
              ? { requestsPerMinute: limits.rpm || null, tokensPerMinute: limits.tpm || null }
              : { requestsPerMinute: limits.rpm || null, inputTokensPerMinute: limits.tpm || null },
        }
      : {}),
  });
  const retry = new RetryLoop({ clock, maxAttempts: 4 });
  return { governor: limiter, retry, limiter, close: () => limiter.close() };
};
