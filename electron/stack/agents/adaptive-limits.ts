import type { Clock } from '../clock/clock';
import { AdaptiveSemaphore } from '../concurrency/adaptive/adaptive-semaphore';
import { classifyCallError } from '../concurrency/adaptive/call-outcome';
import { GradientAlgorithm } from '../concurrency/adaptive/gradient';
import { describeError } from '../errors';
import type { CallPermit, ProviderGovernor } from '../providers/call-pipeline';
import { ProviderError } from '../providers/provider-error';
import type { ProviderName } from '../providers/provider-types';
import type { GovernedBounds } from './agent-settings';

/**
 * Adaptive mode's bounds: governed mode's, with room for the adaptive limits to move. The agent
 * semaphore is wide (it must not be what binds, or the adaptive limits below it never reach their
 * level), each request may fan its retrieval out, and two adaptive limits — provider calls and
 * retrieval queries across all requests — find how much concurrency the provider and the database
 * take, between 1 and their max.
 */
export const ADAPTIVE_BOUNDS: GovernedBounds & { providerMax: number; retrievalMax: number } = {
  agentPermits: 48,
  agentMaxWaiting: 96,
  agentWaitTimeoutMs: 2_000,
  retrievalFanOut: 4,
  providerConnections: 48,
  providerMax: 48,
  retrievalMax: 16,
};

export interface AdaptiveLimits {
  readonly provider: AdaptiveSemaphore;
  readonly retrieval: AdaptiveSemaphore;
  /** The permits of each limit now, for the run's per-second samples. */
  current(): Record<string, number>;
  close(): void;
}

/** Creates the run's two adaptive limits and shows them on the panel (Semaphores page) until closed. */
export function createAdaptiveLimits(clock: Clock, register?: (primitive: AdaptiveSemaphore) => () => void): AdaptiveLimits {
  const provider = new AdaptiveSemaphore({ name: 'provider.adaptive', clock, algorithm: new GradientAlgorithm({ min: 1, max: ADAPTIVE_BOUNDS.providerMax }) });
  const retrieval = new AdaptiveSemaphore({ name: 'retrieval.adaptive', clock, algorithm: new GradientAlgorithm({ min: 1, max: ADAPTIVE_BOUNDS.retrievalMax }) });
  const unregister = [provider, retrieval].map((limit) => register?.(limit));
  return {
    provider,
    retrieval,
    current: () => ({ provider: provider.permits, retrieval: retrieval.permits }),
    close() {
      for (const undo of unregister) undo?.();
      provider.close();
      retrieval.close();
    },
  };
}

/**
 * Puts provider calls under an adaptive limit: the rate limiter (`inner`) admits first — its wait is
 * pacing, not the provider's latency — then the call takes an adaptive permit, held for the HTTP
 * attempt only. The attempt's outcome teaches the limit: an answer is a latency sample, a 429, 503/529
 * or timeout lowers it, anything else (a bad request, a cancelled call) says nothing.
 */
export function adaptiveGovernor(provider: ProviderName, inner: ProviderGovernor | undefined, limit: AdaptiveSemaphore): ProviderGovernor {
  return {
    async acquire(estimate, signal) {
      const innerPermit: CallPermit | undefined = await inner?.acquire(estimate, signal);
      let permit;
      try {
        permit = await limit.acquire({ signal, label: 'provider call' });
      } catch (error) {
        innerPermit?.settle({ ok: false, error: notSent(provider, error) });
        throw error;
      }
      const held = permit;
      return {
        settle(outcome) {
          innerPermit?.settle(outcome);
          held.release(outcome.ok ? 'success' : classifyCallError(outcome.error));
        },
      };
    },
  };
}

/** What the rate limiter is told when the call never went out (its reservation is given back, as for a cancel). */
function notSent(provider: ProviderName, error: unknown): ProviderError {
  return new ProviderError(
    { provider, kind: 'aborted', status: null, providerType: null, providerCode: null, retryable: false, retryAfterMs: undefined, providerWide: false, headers: {}, requestId: null, midStream: false },
    `The call never went out: no adaptive permit (${describeError(error)}).`,
    error,
  );
}
