import type { LimiterKind, LimiterSnapshot } from '../../../../shared/contract/concurrency';
import { WindowedHistogram } from '../../concurrency/latency-histogram';
import { RateMeter } from '../../concurrency/rate-meter';
import type { LimiterStore } from '../limiter-store';
import { bucketSnapshot, type ProviderBucket } from './provider-buckets';

/** Counters, wait histogram and last-known bucket levels of a provider limiter, for its snapshot. */
export class ProviderLimiterStats {
  admitted = 0;
  waited = 0;
  rejected = 0;
  timeouts = 0;
  http429 = 0;
  http529 = 0;
  retries = 0;
  /** Pauses that started (429 retry-after, 529 backoff), not counting extensions of a running one. */
  pauses = 0;
  maxQueuedSeen = 0;
  lastError: string | null = null;
  private readonly waitHistogram: WindowedHistogram;
  private readonly admitRate = new RateMeter();
  /** Levels read from a store that can only answer asynchronously, one snapshot late. */
  private cachedLevels = new Map<string, number>();
  private reading = false;

  constructor(now: number) {
    this.waitHistogram = new WindowedHistogram(10_000, now);
  }

  noteQueued(size: number): void {
    if (size > this.maxQueuedSeen) this.maxQueuedSeen = size;
  }

  noteAdmitted(waitMs: number, now: number): void {
    this.admitted += 1;
    if (waitMs > 0) this.waited += 1;
    this.waitHistogram.record(waitMs, now);
  }

  /** Current bucket levels: synchronously from a memory store, otherwise the last read (and a new read started). */
  levels(store: LimiterStore, buckets: readonly ProviderBucket[], now: number, onError?: (error: unknown) => void): number[] {
    const specs = buckets.map((bucket) => bucket.spec);
    if (store.readNow) return store.readNow(specs, now);
    if (!this.reading) {
      this.reading = true;
      store
        .read(specs, now)
        .then((values) => {
          this.cachedLevels = new Map(specs.map((spec, index) => [spec.key, values[index] ?? 0]));
        }, onError)
        .finally(() => {
          this.reading = false;
        });
    }
    return specs.map((spec) => this.cachedLevels.get(spec.key) ?? spec.capacity);
  }

  snapshot(input: {
    name: string;
    kind: LimiterKind;
    buckets: readonly ProviderBucket[];
    levels: readonly number[];
    queued: number;
    now: number;
    pausedUntil: number | null;
    pauseReason: string | null;
    rampFactor: number | null;
  }): LimiterSnapshot {
    const resets = input.buckets.map((bucket) => bucket.resetAt).filter((at): at is number => at !== null && at > input.now);
    return {
      name: input.name,
      kind: input.kind,
      buckets: input.buckets.map((bucket, index) => bucketSnapshot(bucket, input.levels[index] ?? 0)),
      admitted: this.admitted,
      admittedPerSec: this.admitRate.read(input.now, this.admitted),
      rejected: this.rejected,
      queued: input.queued,
      maxQueuedSeen: this.maxQueuedSeen,
      waited: this.waited,
      waitMs: this.waitHistogram.percentiles(input.now),
      http429: this.http429,
      http529: this.http529,
      retries: this.retries,
      nextResetAt: resets.length > 0 ? Math.min(...resets) : null,
      pausedUntil: input.pausedUntil,
      pauseReason: input.pauseReason,
      pauses: this.pauses,
      rampFactor: input.rampFactor,
      lastError: this.lastError,
    };
  }
}
