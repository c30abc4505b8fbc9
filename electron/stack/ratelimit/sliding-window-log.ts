import type { LimiterBucket } from '../../../shared/contract/concurrency';
import { requirePositiveNumber } from '../concurrency/invalid-argument';
import { QueuedLimiter, type QueuedLimiterOptions } from './queued-limiter';

export interface SlidingWindowLogOptions extends QueuedLimiterOptions {
  /** Most units admitted in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

/**
 * The exact sliding window: it remembers when each admission happened (and its cost) for one window, and
 * admits only if everything still inside (now − windowMs, now] plus the new cost fits the limit. No window
 * of that length ever holds more than `limit`. Memory is one entry per admission in the window — at most
 * `limit` entries for unit costs — kept in a growable ring buffer (no Array#shift).
 */
export class SlidingWindowLog extends QueuedLimiter {
  readonly kind = 'sliding-window-log' as const;
  readonly limit: number;
  readonly windowMs: number;
  private times: Float64Array;
  private costs: Float64Array;
  private head = 0;
  private length = 0;
  private used = 0;

  constructor(options: SlidingWindowLogOptions) {
    super(options);
    this.limit = requirePositiveNumber(`${options.name}: limit`, options.limit);
    this.windowMs = requirePositiveNumber(`${options.name}: windowMs`, options.windowMs);
    const initial = Math.max(8, Math.min(1024, Math.ceil(this.limit)));
    this.times = new Float64Array(initial);
    this.costs = new Float64Array(initial);
  }

  get capacity(): number {
    return this.limit;
  }

  /** Units admitted within the current window. */
  inWindow(): number {
    this.expire(this.now());
    return this.used;
  }

  protected consumeIfAvailable(cost: number, now: number): boolean {
    this.expire(now);
    if (this.used + cost > this.limit) return false;
    this.append(now, cost);
    return true;
  }

  protected msUntilAvailable(cost: number, now: number): number {
    this.expire(now);
    let excess = this.used + cost - this.limit;
    if (excess <= 0) return 0;
    // The oldest entries leave first; find the one whose departure makes room.
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.times.length;
      excess -= this.costs[slot]!;
      if (excess <= 0) return this.times[slot]! + this.windowMs - now;
    }
    return this.windowMs;
  }

  protected bucketsSnapshot(now: number): LimiterBucket[] {
    this.expire(now);
    return [
      {
        name: 'window',
        unit: this.unit,
        capacity: this.limit,
        available: this.limit - this.used,
        refillPerSec: (this.limit / this.windowMs) * 1000,
        resetAt: this.length > 0 ? this.times[this.head]! + this.windowMs : null,
        source: 'config',
      },
    ];
  }

  /** Drops entries that left the window: an entry at t counts while now − windowMs < t. */
  private expire(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.length > 0 && this.times[this.head]! <= cutoff) {
      this.used -= this.costs[this.head]!;
      this.head = (this.head + 1) % this.times.length;
      this.length -= 1;
    }
    if (this.length === 0) this.used = 0; // no float drift once empty
  }

  private append(time: number, cost: number): void {
    if (this.length === this.times.length) this.grow();
    const slot = (this.head + this.length) % this.times.length;
    this.times[slot] = time;
    this.costs[slot] = cost;
    this.length += 1;
    this.used += cost;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    const costs = new Float64Array(size);
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.times.length;
      times[i] = this.times[slot]!;
      costs[i] = this.costs[slot]!;
    }
    this.times = times;
    this.costs = costs;
    this.head = 0;
  }
}
