/**
 * Until the provider's headers have described its buckets, the limiter only knows nominal per-minute
 * limits (configured, or none at all), and the bucket the provider really enforces may hold a few
 * seconds of them (effective-burst.ts). Sending a burst sized for the nominal limit into it would be
 * answered with a wave of 429s. So the first call goes alone: everyone else waits until it has settled
 * or any response's rate-limit headers have been read, which costs one round trip once per limiter.
 * A first call that is never settled (a caller's bug, a hung request) holds the rest back for at most
 * `maxWaitMs`; after that the limiter goes on with what it knows.
 */
export class FirstCallProbe {
  private calibrated: boolean;
  private outstanding = 0;
  private sentAt = 0;

  constructor(
    enabled: boolean,
    private readonly maxWaitMs = 30_000,
  ) {
    this.calibrated = !enabled;
  }

  /** 0 when another call may be admitted at `now`; else how long until the probe stops holding it back. */
  msUntilAdmits(now: number): number {
    if (this.calibrated || this.outstanding === 0) return 0;
    const left = this.sentAt + this.maxWaitMs - now;
    if (left > 0) return left;
    this.calibrated = true;
    return 0;
  }

  /** Called on each admission at `now`; returns true when that call is the probe (its settlement must be reported). */
  noteAdmission(now: number): boolean {
    if (this.calibrated) return false;
    this.outstanding += 1;
    this.sentAt = now;
    return true;
  }

  /** The probe settled: `answered` when it reached the provider (any outcome), false when never sent. */
  noteSettled(answered: boolean): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (answered) this.calibrated = true;
  }

  /** Rate-limit headers were read: the buckets are known from here on. */
  noteHeaders(): void {
    this.calibrated = true;
  }
}
