/**
 * Events per second over the last few seconds, from a running total read at snapshot time. It keeps a
 * handful of (time, total) points at least `spacingMs` apart, so reading it at 4 Hz or once a minute
 * both give a steady rate, and costs nothing on the hot path (the primitive only bumps its total).
 */
export class RateMeter {
  private readonly times: number[] = [];
  private readonly totals: number[] = [];

  constructor(
    private readonly spanMs = 3000,
    private readonly spacingMs = 200,
  ) {}

  /** False until two readings some time apart exist: until then `read` answers 0 for lack of a span, not for idleness. */
  get measured(): boolean {
    return this.times.length > 1;
  }

  read(now: number, total: number): number {
    const last = this.times.length - 1;
    if (last < 0 || now - this.times[last]! >= this.spacingMs) {
      this.times.push(now);
      this.totals.push(total);
    }
    while (this.times.length > 2 && now - this.times[1]! >= this.spanMs) {
      this.times.shift();
      this.totals.shift();
    }
    const elapsedMs = now - this.times[0]!;
    if (elapsedMs <= 0) return 0;
    return Math.round(((total - this.totals[0]!) / elapsedMs) * 1000 * 100) / 100;
  }
}
