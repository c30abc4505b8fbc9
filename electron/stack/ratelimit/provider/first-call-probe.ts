/**
 * Until the provider's headers have described its buckets, the limiter only knows nominal per-minute
 * limits (configured, or none at all), and the bucket the provider really enforces may hold a few
 * seconds of them (effective-burst.ts). Sending a burst sized for the nominal limit into it would be
 * answered with a wave of 429s. So the first call goes alone: everyone else waits until it has settled
 * or any response's rate-limit headers have been read, which costs one round trip once per limiter.
 */
export class FirstCallProbe {
  private calibrated = false;
  private outstanding = 0;

  constructor(enabled: boolean) {
    this.calibrated = !enabled;
  }

  /** Whether another call may be admitted now. */
  admits(): boolean {
    return this.calibrated || this.outstanding === 0;
  }

  /** Called on each admission; returns true when that call is the probe (its settlement must be reported). */
  noteAdmission(): boolean {
    if (this.calibrated) return false;
    this.outstanding += 1;
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

  get isCalibrated(): boolean {
    return this.calibrated;
  }
}
