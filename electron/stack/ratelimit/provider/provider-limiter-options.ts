import type { Clock } from '../../clock/clock';
import type { ProviderName } from '../../providers/provider-types';
import type { LimiterStore } from '../limiter-store';
import type { CallDemand, OutputAccounting, ProviderLimitsConfig } from './provider-buckets';
import type { RampUpOptions } from './ramp-up';

/** Options of a ProviderLimiter (provider-limiter.ts), with their defaults. */
export interface ProviderLimiterOptions {
  /** Shown on the Limiters page, e.g. `provider.openai`. */
  name: string;
  provider: ProviderName;
  /** Known limits; anything unknown is learned from response headers. */
  limits?: ProviderLimitsConfig;
  /** Shared-state key prefix (one per account and model class). Default: the name. */
  scope?: string;
  clock?: Clock;
  store?: LimiterStore;
  /** Reservations allowed to wait; the next gets QueueFullError. Default 10 000. */
  maxQueued?: number;
  /** Pause after a 429 that says nothing about how long. Default 1 s. */
  defaultPauseMs?: number;
  /** 529 overload: pause base × 2^(n−1), capped, with jitter. Default 1 s … 60 s. */
  overloadBackoff?: { baseMs: number; capMs: number };
  /** Ramp-up after idle. Default on for Anthropic, off for OpenAI; false disables. */
  rampUp?: Partial<RampUpOptions> | false;
  /** Anthropic OTPM: reserve max_tokens up front (default) or count only what was generated. *changes* */
  outputAccounting?: OutputAccounting;
  /** Send the first call alone, before the provider's headers describe its buckets. Default true. */
  probeFirstCall?: boolean;
  /** Longest sleep between checks of a shared store (other processes may free tokens). Default 1 s. */
  maxPollMs?: number;
  random?: () => number;
  onError?: (error: unknown) => void;
}

export interface ReserveOptions extends CallDemand {
  signal?: AbortSignal;
  /** Gives up waiting with TimeoutError. 0 = no timeout. */
  timeoutMs?: number;
  label?: string;
}
