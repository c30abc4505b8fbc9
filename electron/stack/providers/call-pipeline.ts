import { estimatePromptTokens } from './token-estimate';
import type { ProviderError } from './provider-error';
import type { ChatRequest, ProviderName, Usage } from './provider-types';

/**
 * The seam where Bulkhead's governance wraps a provider call. The client runs, per call:
 *
 *   retry.run(attempt => {                       // the one retry loop (owns backoff, retry-after)
 *     permit = await governor.acquire(estimate)  // provider limiter: reserve tokens, wait, maybe pause
 *     try   { result = HTTP call; permit.settle({ok: true, status, headers, usage}) }   // reconcile
 *     catch { permit.settle({ok: false, error}) }                                       // observe 429s
 *   })
 *
 * Ungoverned (the "unbounded" before-state) means no governor and naiveRetries(): calls go out at once
 * and failures are retried immediately, as hand-rolled agent code does.
 */

/** What a limiter needs to know before the call, by the providers' charging rules (docs/provider-behaviour.md). */
export interface CallEstimate {
  provider: ProviderName;
  model: string;
  /** Prompt tokens by the char/4 rule. */
  inputTokens: number;
  /** max_tokens × n: what the answer may use at most. */
  maxOutputTokens: number;
  /** OpenAI's up-front TPM charge: max(maxOutputTokens, inputTokens). */
  openaiChargedTokens: number;
}

export type CallOutcome =
  | { ok: true; status: number; headers: Record<string, string>; usage: Usage | null }
  | { ok: false; error: ProviderError };

export interface CallPermit {
  /** Called exactly once per acquired permit, with what the attempt produced. */
  settle(outcome: CallOutcome): void;
}

export interface ProviderGovernor {
  /**
   * Waits until the call may go and reserves its estimate. Rejects when the signal aborts or the
   * call can never fit (e.g. OpenAI "Request too large": reject locally before sending).
   */
  acquire(estimate: CallEstimate, signal: AbortSignal | undefined): Promise<CallPermit>;
}

export interface RetryPolicy {
  /** Runs `attempt` (numbered from 1) until it succeeds or the policy gives up, then rethrows the last error. */
  run<T>(attempt: (attemptNumber: number) => Promise<T>, signal: AbortSignal | undefined): Promise<T>;
}

export function estimateCall(provider: ProviderName, request: ChatRequest): CallEstimate {
  const inputTokens = estimatePromptTokens(request.messages);
  const maxOutputTokens = request.maxTokens * (request.n ?? 1);
  return { provider, model: request.model, inputTokens, maxOutputTokens, openaiChargedTokens: Math.max(maxOutputTokens, inputTokens) };
}

/** One attempt, no retries. */
export const noRetries: RetryPolicy = {
  run: (attempt) => attempt(1),
};

/**
 * The before-state: retry at once, up to `maxRetries` times, whatever the error (except the caller's
 * own abort) and ignoring retry-after. With N agents this is the 429 storm the panel demonstrates.
 */
export function naiveRetries(maxRetries = 3): RetryPolicy {
  return {
    async run(attempt, signal) {
      for (let n = 1; ; n++) {
        try {
          return await attempt(n);
        } catch (error) {
          const aborted = signal?.aborted === true || (error as Partial<ProviderError>).kind === 'aborted';
          if (aborted || n > maxRetries) throw error;
        }
      }
    },
  };
}
