import { systemClock, type Clock } from '../clock/clock';

const TIME_ORIGIN = performance.timeOrigin;

/** systemClock.now() without the `performance.timeOrigin` getter on every call: same values, ~20 % cheaper. */
export function fastSystemNow(): number {
  return TIME_ORIGIN + performance.now();
}

/**
 * The cheapest way to read `clock` on a hot path. For the system clock that is a direct performance.now();
 * any other clock (ManualClock in tests) is called as usual.
 */
export function nowReader(clock: Clock): () => number {
  return clock === systemClock ? fastSystemNow : () => clock.now();
}

/** Whether `clock` is the system clock, so a hot path may call fastSystemNow() inline. */
export function isSystemClock(clock: Clock): boolean {
  return clock === systemClock;
}
