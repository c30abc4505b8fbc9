import type { LimiterBucket } from '../../../shared/contract/concurrency';
import { requireNonNegativeNumber, requirePositiveNumber } from '../concurrency/invalid-argument';
import { fastSystemNow, isSystemClock } from '../concurrency/fast-now';
import { QueuedLimiter, type QueuedLimiterOptions } from './queued-limiter';

export interface TokenBucketOptions extends QueuedLimiterOptions {
  /** The most tokens the bucket holds: the largest burst, and the largest single cost. */
  capacity: number;
  /** Tokens added per second, continuously (not in steps). */
  refillPerSec: number;
  /** Tokens at start. Default: full. */
  initialTokens?: number;
}

/**
 * A token bucket with continuous refill: in any interval of T seconds it admits at most
 * `capacity + refillPerSec × T` tokens. Weighted (`cost`), FIFO-fair waiting (`wait`), non-blocking
 * `tryTake`, and the adjustments a provider limiter needs: `refund` after over-reserving, `charge`
 * (which may leave a debt) after under-reserving, and `sync` to what the provider's headers report.
 *
 * Refill is computed lazily from the clock at each call, so an idle bucket costs nothing.
 */
export class TokenBucket extends QueuedLimiter {
  readonly kind = 'token-bucket' as const;
  private cap: number;
  private ratePerMs: number;
  private tokens: number;
  private lastRefill: number;
  /** tryTake reads the clock inline when it is the system clock (the hottest path in the stack). */
  private readonly onSystemClock: boolean;

  constructor(options: TokenBucketOptions) {
    super({ ...options, unit: options.unit ?? 'tokens' });
    this.cap = requirePositiveNumber(`${options.name}: capacity`, options.capacity);
    this.ratePerMs = requireNonNegativeNumber(`${options.name}: refillPerSec`, options.refillPerSec) / 1000;
    this.tokens = Math.min(this.cap, requireNonNegativeNumber(`${options.name}: initialTokens`, options.initialTokens ?? this.cap));
    this.lastRefill = this.now();
    this.onSystemClock = isSystemClock(this.clock);
  }

  get capacity(): number {
    return this.cap;
  }

  get refillPerSec(): number {
    return this.ratePerMs * 1000;
  }

  /** Tokens in the bucket now (negative while a debt is being paid off). */
  available(): number {
    this.refill(this.now());
    return this.tokens;
  }

  /** Milliseconds until `cost` tokens will be there (0 if now), ignoring anyone queued. */
  msUntil(cost: number): number {
    return this.msUntilAvailable(cost, this.now());
  }

  /** Fast path of tryTake, without the base class's queue check indirection. */
  override tryTake(cost = 1): boolean {
    if (cost > 0 && cost <= this.cap && this.queued === 0) {
      const now = this.onSystemClock ? fastSystemNow() : this.clock.now();
      if (now > this.lastRefill) this.refill(now);
      if (this.tokens >= cost) {
        this.tokens -= cost;
        this.admittedCount += 1;
        return true;
      }
      return false;
    }
    return super.tryTake(cost);
  }

  /** Gives back tokens that were reserved but not used (never above capacity). */
  refund(amount: number): void {
    if (!(amount > 0)) return;
    this.refill(this.now());
    this.tokens = Math.min(this.cap, this.tokens + amount);
    this.capacityChanged();
  }

  /** Takes tokens that were used beyond a reservation; the bucket may go negative (a debt later admissions wait out). */
  charge(amount: number): void {
    if (!(amount > 0)) return;
    this.refill(this.now());
    this.tokens -= amount;
  }

  /** Lowers the content to what an authority (response headers, a shared store) says is left; never raises it. */
  capAt(remaining: number): void {
    this.refill(this.now());
    if (remaining < this.tokens) this.tokens = remaining;
  }

  /** Sets the content outright (tests, a shared store's answer). */
  setTokens(tokens: number): void {
    this.refill(this.now());
    this.tokens = Math.min(this.cap, tokens);
    this.capacityChanged();
  }

  /** Changes capacity and/or rate, e.g. when headers reveal the real limit; the content is kept (clamped). */
  reconfigure(options: { capacity?: number; refillPerSec?: number }): void {
    this.refill(this.now());
    if (options.capacity !== undefined) this.cap = requirePositiveNumber(`${this.name}: capacity`, options.capacity);
    if (options.refillPerSec !== undefined) this.ratePerMs = requireNonNegativeNumber(`${this.name}: refillPerSec`, options.refillPerSec) / 1000;
    if (this.tokens > this.cap) this.tokens = this.cap;
    this.capacityChanged();
  }

  protected consumeIfAvailable(cost: number, now: number): boolean {
    if (now > this.lastRefill) this.refill(now);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  protected msUntilAvailable(cost: number, now: number): number {
    this.refill(now);
    const missing = cost - this.tokens;
    if (missing <= 0) return 0;
    return this.ratePerMs > 0 ? missing / this.ratePerMs : Number.POSITIVE_INFINITY;
  }

  protected bucketsSnapshot(now: number): LimiterBucket[] {
    this.refill(now);
    return [
      {
        name: this.unit,
        unit: this.unit,
        capacity: this.cap,
        available: Math.round(this.tokens * 100) / 100,
        refillPerSec: this.refillPerSec,
        resetAt: null,
        source: 'config',
      },
    ];
  }

  private refill(now: number): void {
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.lastRefill = now;
    const next = this.tokens + elapsed * this.ratePerMs;
    this.tokens = next > this.cap ? this.cap : next;
  }
}
