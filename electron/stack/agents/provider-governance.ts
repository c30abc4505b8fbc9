import type { Clock } from '../clock/clock';
import type { ConcurrencyRegistry } from '../concurrency/concurrency-registry';
import type { ProviderGovernor, RetryPolicy } from '../providers/call-pipeline';
import type { ProviderName } from '../providers/provider-types';
import { createProviderGovernance } from '../ratelimit/provider-governance';

/** Known limits of the provider (the simulator's settings); null = learn them from response headers. */
export interface ProviderLimits {
  rpm: number;
  tpm: number;
}

/** Governed mode's provider side: the limiter (as the client's governor) and the one retry loop. */
export interface ProviderGovernance {
  readonly governor: ProviderGovernor;
  readonly retry: RetryPolicy;
  /** Closes the limiter and takes it off the Limiters page. */
  close(): void;
}

export type ProviderGovernanceFactory = (options: { provider: ProviderName; limits: ProviderLimits | null; clock: Clock; name: string; scope?: string }) => ProviderGovernance;

/**
 * Governed runs' provider side: the provider limiter (configured with the simulator's limits, or learning
 * a real provider's from its headers) and the retry loop, the limiter shown on the Limiters page while the
 * run lasts. A retry budget of 4 attempts keeps a request from outliving the run's graceful stop.
 */
export function providerGovernanceFor(registry: ConcurrencyRegistry): ProviderGovernanceFactory {
  return (options) => createProviderGovernance({ ...options, registry, retry: { maxAttempts: 4 } });
}
