import type { LimiterBucket } from '../../../shared/contract/concurrency';
import { requirePositiveInteger, requirePositiveNumber } from '../concurrency/invalid-argument';
import { QueuedLimiter, type QueuedLimiterOptions } from './queued-limiter';

export interface SlidingWindowCounterOptions extends QueuedLimiterOptions {
  /** Most units admitted in any window of `windowMs`. */
  limit: number;
  windowMs: number;
  /** Sub-windows per window: more = closer to the exact log, still O(1) memory. Default 10. */
  slices?: number;
}

/**
 * A sliding window in constant memory: counts per slice of `windowMs / slices`, summed over the current
 * slice and the `slices` before it. That span is always at least one full window long, so (unlike the
 * popular two-counter estimate, which interpolates the previous window and can admit up to twice the
 * limit within one window) this never admits more than `limit` in any window of `windowMs`. The price:
 * it may refuse up to one slice's worth of time too early. Use SlidingWindowLog when exactness matters
 * more than memory.
 */
export class SlidingWindowCounter extends QueuedLimiter {
  readonly kind = 'sliding-window-counter' as const;
  readonly limit: number;
  readonly windowMs: number;
  readonly slices: number;
  private readonly sliceMs: number;
  private readonly counts: Float64Array;
  /** Absolute index (floor(time / sliceMs)) of the newest slice the counts cover. */
  private newest = Number.NEGATIVE_INFINITY;
  private total = 0;

  constructor(options: SlidingWindowCounterOptions) {
    super(options);
    this.limit = requirePositiveNumber(`${options.name}: limit`, options.limit);
    this.windowMs = requirePositiveNumber(`${options.name}: windowMs`, options.windowMs);
    this.slices = requirePositiveInteger(`${options.name}: slices`, options.slices ?? 10);
    this.sliceMs = this.windowMs / this.slices;
    this.counts = new Float64Array(this.slices + 1);
  }

  get capacity(): number {
    return this.limit;
  }

  /** Units counted against the limit now (may include up to one slice from before the window). */
  counted(): number {
    this.advance(this.now());
    return this.total;
  }

  protected consumeIfAvailable(cost: number, now: number): boolean {
    this.advance(now);
    if (this.total + cost > this.limit) return false;
    this.counts[this.slot(this.newest)]! += cost;
    this.total += cost;
    return true;
  }

  protected msUntilAvailable(cost: number, now: number): number {
    this.advance(now);
    let excess = this.total + cost - this.limit;
    if (excess <= 0) return 0;
    // Slice k stops counting once the current slice index exceeds k + slices.
    for (let k = this.newest - this.slices; k <= this.newest; k++) {
      excess -= this.counts[this.slot(k)]!;
      if (excess <= 0) return Math.max(0, (k + this.slices + 1) * this.sliceMs - now);
    }
    return this.windowMs;
  }

  protected bucketsSnapshot(now: number): LimiterBucket[] {
    this.advance(now);
    return [
      {
        name: 'window',
        unit: this.unit,
        capacity: this.limit,
        available: this.limit - this.total,
        refillPerSec: (this.limit / this.windowMs) * 1000,
        resetAt: null,
        source: 'config',
      },
    ];
  }

  private slot(index: number): number {
    const size = this.slices + 1;
    return ((index % size) + size) % size;
  }

  /** Moves to the slice containing `now`, zeroing the slices that fell out of the span. */
  private advance(now: number): void {
    const current = Math.floor(now / this.sliceMs);
    if (current <= this.newest) return;
    const steps = current - this.newest;
    if (steps > this.slices) {
      this.counts.fill(0);
      this.total = 0;
    } else {
      for (let k = this.newest + 1; k <= current; k++) {
        const slot = this.slot(k);
        this.total -= this.counts[slot]!;
        this.counts[slot] = 0;
      }
      if (this.total < 1e-9) this.total = Math.max(0, this.total);
    }
    this.newest = current;
  }
}
