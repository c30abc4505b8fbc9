import { parseGoDuration } from './go-duration';
import type { ProviderName } from './provider-types';

/** One limit as a response reports it. Any field may be null: headers can be absent or partial. */
export interface RateLimitWindow {
  limit: number | null;
  remaining: number | null;
  /** Milliseconds from `now` until the bucket is full again (not the wait before the next request). */
  msUntilFull: number | null;
}

export interface RateLimitHeaders {
  provider: ProviderName;
  requests: RateLimitWindow | null;
  /** OpenAI: the TPM limit. Anthropic: `-tokens-`, whichever token limit is most restrictive now. */
  tokens: RateLimitWindow | null;
  /** Anthropic only (ITPM / OTPM). Remaining values are rounded to the nearest thousand by Anthropic. */
  inputTokens: RateLimitWindow | null;
  outputTokens: RateLimitWindow | null;
}

/**
 * Reads the provider's rate-limit headers into numbers, for a limiter to adapt to: OpenAI's
 * `x-ratelimit-*` (resets as Go durations) or Anthropic's `anthropic-ratelimit-*` (resets as RFC 3339
 * instants, converted against `now`). Returns null when the response carried none.
 */
export function parseRateLimitHeaders(provider: ProviderName, headers: Readonly<Record<string, string>>, now: number): RateLimitHeaders | null {
  if (provider === 'openai') {
    const window = (suffix: 'requests' | 'tokens'): RateLimitWindow | null =>
      windowOf(headers[`x-ratelimit-limit-${suffix}`], headers[`x-ratelimit-remaining-${suffix}`], goReset(headers[`x-ratelimit-reset-${suffix}`]));
    const requests = window('requests');
    const tokens = window('tokens');
    if (!requests && !tokens) return null;
    return { provider, requests, tokens, inputTokens: null, outputTokens: null };
  }
  const window = (name: string): RateLimitWindow | null =>
    windowOf(headers[`anthropic-ratelimit-${name}-limit`], headers[`anthropic-ratelimit-${name}-remaining`], instantReset(headers[`anthropic-ratelimit-${name}-reset`], now));
  const parsed = { provider, requests: window('requests'), tokens: window('tokens'), inputTokens: window('input-tokens'), outputTokens: window('output-tokens') };
  return parsed.requests || parsed.tokens || parsed.inputTokens || parsed.outputTokens ? parsed : null;
}

function windowOf(limit: string | undefined, remaining: string | undefined, msUntilFull: number | null): RateLimitWindow | null {
  const l = count(limit);
  const r = count(remaining);
  if (l === null && r === null && msUntilFull === null) return null;
  return { limit: l, remaining: r, msUntilFull };
}

function count(text: string | undefined): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function goReset(text: string | undefined): number | null {
  return text === undefined ? null : (parseGoDuration(text) ?? null);
}

function instantReset(text: string | undefined, now: number): number | null {
  if (text === undefined) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
