/**
 * The provider side's bucket: `limit` units per minute, refilled continuously (limit / 60 000 per ms),
 * holding at most `limit`. This is the simulator's model of what OpenAI and Anthropic enforce, not
 * Bulkhead's own limiter. Time is passed in, so the buckets follow whatever clock the simulator has.
 */
export class SimBucket {
  private levelNow: number;
  private updatedAt: number;
  private perMs: number;

  constructor(
    private capacity: number,
    now: number,
  ) {
    this.levelNow = capacity;
    this.updatedAt = now;
    this.perMs = capacity / 60_000;
  }

  get limit(): number {
    return this.capacity;
  }

  /** Current level (may be negative after forced debits), after refilling up to `now`. */
  level(now: number): number {
    this.refill(now);
    return this.levelNow;
  }

  /** Whole units left, never below 0: what a `remaining` header shows. */
  remaining(now: number): number {
    return Math.max(0, Math.floor(this.level(now)));
  }

  /** Takes `amount` if it is there; leaves the bucket unchanged otherwise. */
  tryTake(amount: number, now: number): boolean {
    this.refill(now);
    if (this.levelNow < amount) return false;
    this.levelNow -= amount;
    return true;
  }

  /** Debits unconditionally (requests that fail still count), but not below -limit. */
  debit(amount: number, now: number): void {
    this.refill(now);
    this.levelNow = Math.max(-this.capacity, this.levelNow - amount);
  }

  /** Gives back units (an over-reservation settled at the end of a request), never above the limit. */
  credit(amount: number, now: number): void {
    this.refill(now);
    this.levelNow = Math.min(this.capacity, this.levelNow + amount);
  }

  /** Milliseconds until `amount` units are available (0 when they are now; Infinity if above the limit). */
  msUntil(amount: number, now: number): number {
    this.refill(now);
    if (this.levelNow >= amount) return 0;
    if (amount > this.capacity || this.perMs === 0) return Number.POSITIVE_INFINITY;
    return (amount - this.levelNow) / this.perMs;
  }

  /** Milliseconds until the bucket is full again: what both providers' `reset` values describe. */
  msUntilFull(now: number): number {
    this.refill(now);
    if (this.perMs === 0) return 0;
    return Math.max(0, (this.capacity - this.levelNow) / this.perMs);
  }

  /** Changes the limit at runtime, keeping the used amount (a tier change mid-run). */
  setLimit(limit: number, now: number): void {
    this.refill(now);
    const used = this.capacity - this.levelNow;
    this.capacity = limit;
    this.perMs = limit / 60_000;
    this.levelNow = Math.min(limit, limit - used);
  }

  /** Back to full. */
  reset(now: number): void {
    this.levelNow = this.capacity;
    this.updatedAt = now;
  }

  private refill(now: number): void {
    const elapsed = now - this.updatedAt;
    if (elapsed > 0) {
      this.levelNow = Math.min(this.capacity, this.levelNow + elapsed * this.perMs);
      this.updatedAt = now;
    }
  }
}
