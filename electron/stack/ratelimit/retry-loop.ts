import { sleep, systemClock, type Clock } from '../clock/clock';
import { abortErrorFor } from '../concurrency/errors';
import type { RetryPolicy } from '../providers/call-pipeline';
import { isProviderError } from '../providers/provider-error';

export interface RetryLoopOptions {
  /** Attempts in total, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff ceiling of the first retry; doubles each retry. Default 500 ms. */
  baseMs?: number;
  /** Largest backoff ceiling. Default 30 s. */
  capMs?: number;
  /** Longest retry-after honoured; a provider asking for more makes the loop give up. Default 5 min. */
  maxRetryAfterMs?: number;
  clock?: Clock;
  random?: () => number;
  /** Which failures to retry, and the wait the failure asked for. Default: ProviderError's own verdict. */
  classify?: (error: unknown) => RetryVerdict;
  /** Told before each retry sleeps (e.g. to count retries on the Limiters page). */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export interface RetryVerdict {
  retryable: boolean;
  retryAfterMs?: number;
}

/**
 * Provider failures carry their own verdict (docs/provider-behaviour.md): 408/409/429/5xx/529 and connection failures are
 * retryable, `insufficient_quota`, spend limits, "Request too large", auth and bad requests are not.
 * Anything else (our own TIMEOUT, ABORTED, a bug) is not retried.
 */
export function classifyForRetry(error: unknown): RetryVerdict {
  if (isProviderError(error)) return { retryable: error.retryable && error.kind !== 'aborted', retryAfterMs: error.retryAfterMs };
  return { retryable: false };
}

/**
 * The one retry loop for provider calls, so SDK clients can run with `maxRetries: 0`: exponential backoff
 * with full jitter (sleep uniformly in [0, min(cap, base·2^(n−1))], which spreads a herd of agents instead
 * of retrying them in lockstep), never sooner than the provider's retry-after, only for retryable errors,
 * at most `maxAttempts` attempts, and cancelled at once by the signal. The last error is rethrown as is.
 */
export class RetryLoop implements RetryPolicy {
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly classify: (error: unknown) => RetryVerdict;

  constructor(private readonly options: RetryLoopOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5));
    this.baseMs = options.baseMs ?? 500;
    this.capMs = options.capMs ?? 30_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 300_000;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.classify = options.classify ?? classifyForRetry;
  }

  /** The wait before retry number `retry` (1-based) after an error that asked for `retryAfterMs`. */
  delayFor(retry: number, retryAfterMs: number | undefined): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** (retry - 1));
    const jittered = this.random() * ceiling;
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  async run<T>(attempt: (attemptNumber: number) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    for (let attemptNumber = 1; ; attemptNumber++) {
      if (signal?.aborted) throw abortErrorFor('Provider call', signal);
      try {
        return await attempt(attemptNumber);
      } catch (error) {
        if (signal?.aborted) throw error;
        const verdict = this.classify(error);
        if (!verdict.retryable || attemptNumber >= this.maxAttempts) throw error;
        if (verdict.retryAfterMs !== undefined && verdict.retryAfterMs > this.maxRetryAfterMs) throw error;
        const delayMs = this.delayFor(attemptNumber, verdict.retryAfterMs);
        this.options.onRetry?.({ attempt: attemptNumber, delayMs, error });
        try {
          await sleep(this.clock, delayMs, signal);
        } catch {
          throw abortErrorFor('Provider call', signal!);
        }
      }
    }
  }
}
