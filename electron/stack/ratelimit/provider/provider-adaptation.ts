import { ProviderError } from '../../providers/provider-error';
import type { RateLimitHeaders } from '../../providers/rate-limit-headers';
import type { ProviderName } from '../../providers/provider-types';
import { followLimitChange, learnBurst } from './effective-burst';
import {
  BUCKETS_OF,
  makeBucket,
  refillPerSecFor,
  trustedRemaining,
  windowFor,
  type BucketName,
  type ProviderBucket,
} from './provider-buckets';

/** What header adaptation may change on a limiter. */
export interface AdaptationTarget {
  provider(): ProviderName;
  scope(): string;
  readonly buckets: Map<string, ProviderBucket>;
  capAt(bucket: ProviderBucket, remaining: number): void;
  onBucketsChanged(): void;
}

/**
 * Applies one response's rate-limit headers (docs/provider-rate-limit-headers.md):
 * - a reported limit sets the bucket's refill (limit / 60 per second, or the slower daily rate) and,
 *   if the limit was unknown, creates the bucket; a changed limit is followed at once;
 * - `remaining` teaches the effective burst (effective-burst.ts) and lowers the bucket if the provider
 *   has seen more use than we counted (other processes, low estimates) — never raises it, since our own
 *   in-flight reservations may not be in the provider's count yet;
 * - when `remaining` says nothing is left, the reset time tells how deep the provider's bucket is in
 *   debt (burst − refill × time-until-full, negative after a 429 burst, since refused requests count).
 * `ownCost(name)` is what the call that got this response had certainly taken from that bucket (0 if
 * unknown): the provider's bucket held at least remaining + that before the call.
 */
export function adaptToHeaders(target: AdaptationTarget, parsed: RateLimitHeaders, now: number, ownCost: (name: BucketName) => number = () => 0): void {
  const provider = target.provider();
  let changed = false;
  for (const name of BUCKETS_OF[provider]) {
    const window = windowFor(parsed, name);
    if (!window) continue;
    let bucket = target.buckets.get(name);
    if (window.limit !== null && window.limit > 0) {
      const refillPerSec = refillPerSecFor(window, window.limit);
      if (!bucket) {
        bucket = makeBucket(target.scope(), name, window.limit, 'headers');
        bucket.spec = { ...bucket.spec, refillPerSec };
        target.buckets.set(name, bucket);
        changed = true;
      } else if (bucket.limitPerMinute !== window.limit || Math.abs(bucket.spec.refillPerSec - refillPerSec) > 1e-9) {
        followLimitChange(bucket, window.limit, refillPerSec);
        bucket.source = 'headers';
        changed = true;
      }
    }
    if (!bucket) continue;
    const trusted = window.remaining !== null ? trustedRemaining(provider, name, window.remaining, bucket.limitPerMinute) : null;
    if (trusted !== null) {
      const full = window.msUntilFull === 0 || (window.remaining ?? 0) >= bucket.limitPerMinute;
      if (learnBurst(bucket, trusted + ownCost(name), full)) changed = true;
    }
    // The time until full tells how deep the provider's bucket really is. Refused requests count too, so
    // after a 429 burst it can be in debt — reset well beyond one window — while `remaining` can only say
    // 0. Following the debt keeps the limiter from releasing every waiter at the end of the pause into a
    // bucket that holds one, which would start the next 429 wave. While `remaining` shows tokens left it
    // is the better reading (Anthropic's resets are whole seconds, up to a second of refill early).
    const fromReset =
      (trusted === null || trusted <= 0) && window.msUntilFull !== null && window.msUntilFull > 0
        ? bucket.spec.capacity - (bucket.spec.refillPerSec * window.msUntilFull) / 1000
        : Infinity;
    const level = Math.min(trusted ?? Infinity, fromReset);
    if (Number.isFinite(level)) target.capAt(bucket, level);
    if (window.msUntilFull !== null) bucket.resetAt = now + window.msUntilFull;
  }
  if (changed) target.onBucketsChanged();
}

export interface RateLimitPause {
  ms: number;
  why: string;
  /** Buckets the 429 says are empty. */
  exhausted: BucketName[];
}

/**
 * How long a 429 pauses the whole limiter: the provider's retry-after (header or "try again in" text, as
 * the ProviderError carries it), else `defaultMs`. Either way the buckets the error names, or the headers
 * show empty, are emptied, so after the pause callers also wait for the refill their own cost needs.
 */
export function pauseForRateLimit(error: ProviderError, parsed: RateLimitHeaders | null, defaultMs: number): RateLimitPause {
  const exhausted: BucketName[] = [];
  const type = error.providerType;
  if (type === 'tokens' || type === 'requests') exhausted.push(type);
  if (parsed) {
    for (const name of BUCKETS_OF[error.provider]) {
      const window = windowFor(parsed, name);
      if (window?.remaining === 0 && !exhausted.includes(name)) exhausted.push(name);
    }
  }
  if (error.retryAfterMs !== undefined) return { ms: error.retryAfterMs, why: `provider asked to wait ${formatMs(error.retryAfterMs)}`, exhausted };
  return { ms: defaultMs, why: `no retry-after given, pausing ${formatMs(defaultMs)}`, exhausted };
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 3).replace(/\.?0+$/, '')} s` : `${Math.round(ms)} ms`;
}

/**
 * How long a 529 (provider-wide overload) pauses everyone: base × 2^(streak − 1), capped, with "equal
 * jitter" (half fixed, half random) so limiters in several processes do not come back in lockstep; never
 * less than a retry-after the provider sent.
 */
export function overloadPauseMs(streak: number, error: ProviderError, backoff: { baseMs: number; capMs: number } = { baseMs: 1000, capMs: 60_000 }, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** (streak - 1));
  return Math.max(error.retryAfterMs ?? 0, ceiling / 2 + (random() * ceiling) / 2);
}

/** The local "Request too large": the call needs more than a bucket's whole capacity, so it is never sent. */
export function requestTooLarge(provider: ProviderName, limiter: string, bucket: ProviderBucket, cost: number): ProviderError {
  return new ProviderError(
    {
      provider,
      kind: 'request_too_large',
      status: null,
      providerType: null,
      providerCode: 'request_too_large_local',
      retryable: false,
      retryAfterMs: undefined,
      providerWide: false,
      headers: {},
      requestId: null,
      midStream: false,
    },
    `Request too large for ${limiter}: it needs ${cost} ${bucket.unit} but the whole ${bucket.name} limit is ${bucket.limitPerMinute} per minute (rejected locally, not sent).`,
  );
}
