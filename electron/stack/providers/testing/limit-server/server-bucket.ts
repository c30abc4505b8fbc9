/**
 * One server-side limit of the test limit server: a token bucket refilled continuously at
 * limitPerMinute / 60 per second that holds `windowSeconds` worth of that rate. windowSeconds 60 is the
 * documented full-minute model; 5 is the "quantized" enforcement both providers warn about (the same
 * per-minute rate, but never more than 5 seconds of it at once).
 *
 * Deliberately written apart from the stack's TokenBucket: tests measure the stack's limiter against
 * this, so the two must not share arithmetic (a shared bug would cancel out).
 *
 * It also keeps the books for "how much could a perfect client have had": the bucket's level when the
 * first request arrived plus everything the refill offered from then to the latest request — whether
 * or not the bucket had room for it. Admitted units divided by that is the capacity used.
 */
export class ServerBucket {
  private level: number;
  private updatedAt: number;
  private limit: number;
  /** Units the measured window offered a perfect client (null until the first request). */
  private offered: number | null = null;
  /** Units charged to admitted requests (after end-of-call adjustments). */
  private spent = 0;

  constructor(
    readonly name: string,
    limitPerMinute: number,
    private windowSeconds: number,
    now: number,
  ) {
    this.limit = limitPerMinute;
    this.level = this.capacity;
    this.updatedAt = now;
  }

  get limitPerMinute(): number {
    return this.limit;
  }

  /** The most the bucket holds: windowSeconds of the per-minute rate. */
  get capacity(): number {
    return (this.limit * this.windowSeconds) / 60;
  }

  get perSecond(): number {
    return this.limit / 60;
  }

  /** Brings the level up to `now`; the first call with `measure` opens the accounting window. */
  advance(now: number, measure: boolean): void {
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    if (this.offered !== null) this.offered += elapsedSeconds * this.perSecond;
    this.level = Math.min(this.capacity, this.level + elapsedSeconds * this.perSecond);
    this.updatedAt = Math.max(this.updatedAt, now);
    if (measure && this.offered === null) this.offered = this.level;
  }

  available(): number {
    return this.level;
  }

  /** Milliseconds until `units` are in the bucket (0 when they are); Infinity above capacity. */
  msUntil(units: number): number {
    if (units > this.capacity) return Infinity;
    return Math.max(0, ((units - this.level) / this.perSecond) * 1000);
  }

  /** Milliseconds until the bucket is full again (what the providers' reset headers report). */
  msUntilFull(): number {
    return Math.max(0, ((this.capacity - this.level) / this.perSecond) * 1000);
  }

  take(units: number): void {
    this.level -= units;
    this.spent += units;
  }

  /** Gives back what a call reserved but did not use (Anthropic's output tokens once the call ends). */
  give(units: number): void {
    this.level = Math.min(this.capacity, this.level + units);
    this.spent -= units;
  }

  /** A new limit mid-run (as an account's tier change would bring); the level never exceeds the new capacity. */
  reconfigure(limitPerMinute: number, windowSeconds: number, now: number): void {
    this.advance(now, false);
    this.limit = limitPerMinute;
    this.windowSeconds = windowSeconds;
    this.level = Math.min(this.level, this.capacity);
  }

  /** spent / offered over the measured window; null before the first request. */
  accounts(): { spent: number; offered: number | null } {
    return { spent: this.spent, offered: this.offered };
  }
}
