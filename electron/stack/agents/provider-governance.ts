import type { Clock } from '../clock/clock';
import type { ProviderGovernor, RetryPolicy } from '../providers/call-pipeline';
import type { ProviderName } from '../providers/provider-types';

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

export type ProviderGovernanceFactory = (options: { provider: ProviderName; limits: ProviderLimits | null; clock: Clock; name: string }) => ProviderGovernance;
