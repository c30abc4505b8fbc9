import { requirePositiveInteger } from './invalid-argument';

/**
 * Decides which operations get timed. Reading the clock (~50–60 ns in Node 20) costs more than a whole
 * uncontended acquire, so a hot primitive times one operation in `every` and records it with weight
 * `every`; percentiles stay unbiased for steady load while the hot path mostly skips the clock.
 *
 * Adaptive by default: `adapt(ratePerSec)` (called from snapshots, i.e. by the monitor a few times a
 * second) times every operation below ~1000/s and thins out to 1 in 64 at very high rates, keeping
 * roughly a thousand or more timed samples per second. A fixed `every` disables adaptation.
 */
export class TimingSampler {
  private every: number;
  private countdown: number;
  private readonly fixed: boolean;

  constructor(every?: number) {
    this.fixed = every !== undefined;
    this.every = every === undefined ? 8 : requirePositiveInteger('timingSampleEvery', every);
    this.countdown = 1;
  }

  /** Weight of one timed sample. */
  get weight(): number {
    return this.every;
  }

  /** True for the operations to time. */
  take(): boolean {
    if (--this.countdown > 0) return false;
    this.countdown = this.every;
    return true;
  }

  adapt(ratePerSec: number): void {
    if (this.fixed) return;
    let every = 1;
    while (every < 64 && ratePerSec / every > 1000) every *= 2;
    this.every = every;
    if (this.countdown > every) this.countdown = every;
  }
}
