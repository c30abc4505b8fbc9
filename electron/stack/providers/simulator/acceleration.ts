import type { z } from 'zod';
import type { AccelerationSchema } from './sim-config';

type Acceleration = z.infer<typeof AccelerationSchema>;

const WINDOW_SECONDS = 60;

/**
 * Anthropic's "acceleration" limit, modelled simply: a second may carry at most
 * max(floorPerSecond, factor × the previous minute's average per-second rate) admitted requests,
 * so a quiet client that jumps straight to full speed is refused until it ramps up.
 */
export class AccelerationGuard {
  private readonly counts = new Float64Array(WINDOW_SECONDS + 1);
  private readonly stamps = new Float64Array(WINDOW_SECONDS + 1).fill(-1);

  /** Whether one more request fits this second; counts it when it does. */
  admit(settings: Acceleration, now: number): boolean {
    const second = Math.floor(now / 1000);
    let previous = 0;
    for (let s = second - WINDOW_SECONDS; s < second; s++) previous += this.countAt(s);
    const allowed = Math.max(settings.floorPerSecond, (settings.factor * previous) / WINDOW_SECONDS);
    const current = this.countAt(second);
    if (current + 1 > allowed) return false;
    const slot = second % (WINDOW_SECONDS + 1);
    this.stamps[slot] = second;
    this.counts[slot] = current + 1;
    return true;
  }

  private countAt(second: number): number {
    const slot = second % (WINDOW_SECONDS + 1);
    return this.stamps[slot] === second ? (this.counts[slot] ?? 0) : 0;
  }
}
