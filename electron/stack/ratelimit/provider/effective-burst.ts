import type { ProviderBucket } from './provider-buckets';

/**
 * The bucket a provider really enforces. Both providers state limits per minute but may enforce them
 * over shorter intervals (docs/provider-rate-limit-headers.md): 1,200 RPM can be a bucket of 100 refilled
 * at 20/s. The refill rate is the limit / 60 either way; the burst — how much the bucket holds at once —
 * is learned from the headers: it is at least the largest `remaining` seen plus what the call that saw it
 * had already taken. Ramp-up, pacing and the hold-back all work on this effective burst, never on the
 * nominal limit: holding back 75 % of 200,000 tokens in a bucket that never shows more than 16,700 would
 * admit nothing.
 *
 * Learning errs low: a burst estimated too small only delays the first calls of a burst (the refill,
 * which carries any run longer than a few seconds, is unaffected), one estimated too large sends calls
 * the provider refuses.
 */

/** The smallest burst assumed: one second of the rate ("60 RPM may be enforced as 1 per second"), at least 1. */
export function minimumBurst(limitPerMinute: number): number {
  return Math.max(1, limitPerMinute / 60);
}

/**
 * Learns from one response. `level` is what the provider's bucket held before this call took its share
 * (trusted remaining + the call's own certain cost); `full` says the provider reported the bucket full
 * (reset 0), in which case the level *is* its size, even if smaller than an earlier estimate.
 * Returns true when the effective burst changed.
 */
export function learnBurst(bucket: ProviderBucket, level: number, full: boolean): boolean {
  const limit = bucket.limitPerMinute;
  if (full || bucket.largestSeen === null) bucket.largestSeen = level;
  else bucket.largestSeen = Math.max(bucket.largestSeen, level);
  return setBurst(bucket, Math.min(limit, Math.max(minimumBurst(limit), bucket.largestSeen)));
}

/**
 * A new nominal limit mid-run (a tier change, another model class): the refill follows it at once, and
 * the burst keeps its share of the limit until new headers say otherwise — the provider's enforcement
 * window rarely changes with the limit.
 */
export function followLimitChange(bucket: ProviderBucket, limitPerMinute: number, refillPerSec: number): void {
  const previous = bucket.limitPerMinute;
  bucket.limitPerMinute = limitPerMinute;
  if (bucket.largestSeen !== null && previous > 0) bucket.largestSeen = (bucket.largestSeen * limitPerMinute) / previous;
  const burst = bucket.largestSeen === null ? limitPerMinute : Math.min(limitPerMinute, Math.max(minimumBurst(limitPerMinute), bucket.largestSeen));
  bucket.spec = { ...bucket.spec, capacity: burst, refillPerSec };
}

function setBurst(bucket: ProviderBucket, burst: number): boolean {
  if (Math.abs(bucket.spec.capacity - burst) < 1e-9) return false;
  bucket.spec = { ...bucket.spec, capacity: burst };
  return true;
}

/**
 * The most a caller may leave in a bucket when taking `cost` with the ramp-up `factor` (the usable share
 * of the burst): (1 − factor) of the effective burst, but never so much that one call could not go on a
 * full bucket — a call larger than the burst (negative floor) goes when the bucket is full and leaves it
 * in debt, as the provider's own bucket would.
 */
export function holdBack(burst: number, cost: number, factor: number): number {
  return Math.min(burst * (1 - factor), burst - cost);
}
