import type { ProviderError } from '../../providers/provider-error';
import type { RateLimitHeaders } from '../../providers/rate-limit-headers';
import type { ProviderName } from '../../providers/provider-types';
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
 * Applies one response's rate-limit headers: a reported limit becomes the bucket's capacity and refill
 * (creating the bucket if the limit was unknown), `remaining` lowers the bucket if the provider has seen
 * more use than we counted (other processes, low estimates) — never raises it, since our own in-flight
 * reservations may not be in the provider's count yet — and the reset time is kept for display.
 */
export function adaptToHeaders(target: AdaptationTarget, parsed: RateLimitHeaders, now: number): void {
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
      } else if (bucket.spec.capacity !== window.limit || Math.abs(bucket.spec.refillPerSec - refillPerSec) > 1e-9) {
        bucket.spec = { ...bucket.spec, capacity: window.limit, refillPerSec };
        bucket.source = 'headers';
        changed = true;
      }
    }
    if (!bucket) continue;
    if (window.remaining !== null) target.capAt(bucket, trustedRemaining(provider, name, window.remaining, bucket.spec.capacity));
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
