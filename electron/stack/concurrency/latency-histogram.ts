/**
 * Fixed-memory latency histograms for the hot paths of semaphores, limiters and pools.
 *
 * Values are milliseconds, stored as whole microseconds in log-linear buckets: exact below 32 µs,
 * then 16 sub-buckets per power of two (at most 1/16 ≈ 6 % relative error), up to 2^31 µs ≈ 36 min
 * (larger values land in the last bucket; `max` stays exact). Recording is a clz32, a shift and an
 * array increment — no allocation, no per-request arrays, whatever the load.
 */
const EXACT_BELOW = 32;
const SUB_BITS = 4;
const SUB_BUCKETS = 1 << SUB_BITS;
const FIRST_EXPONENT = 5; // 2^5 = EXACT_BELOW
const MAX_MICROS = 0x7fffffff;
export const BUCKET_COUNT = EXACT_BELOW + (31 - FIRST_EXPONENT) * SUB_BUCKETS;

function bucketOf(micros: number): number {
  if (micros < EXACT_BELOW) return micros;
  const exponent = 31 - Math.clz32(micros);
  const sub = (micros >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
  return EXACT_BELOW + (exponent - FIRST_EXPONENT) * SUB_BUCKETS + sub;
}

/** The largest value (µs) that falls into `index`, as HdrHistogram reports "highest equivalent value". */
function bucketUpperMicros(index: number): number {
  if (index < EXACT_BELOW) return index;
  const offset = index - EXACT_BELOW;
  const exponent = FIRST_EXPONENT + (offset >>> SUB_BITS);
  const sub = offset & (SUB_BUCKETS - 1);
  const width = 1 << (exponent - SUB_BITS);
  return (SUB_BUCKETS + sub) * width + width - 1;
}

export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const EMPTY_PERCENTILES: Percentiles = Object.freeze({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });

/** One histogram: counts per bucket, total and max. */
export class LatencyHistogram {
  readonly counts = new Uint32Array(BUCKET_COUNT);
  count = 0;
  maxMs = 0;

  /** Records `ms`; `weight` > 1 when the value stands for that many sampled operations. */
  record(ms: number, weight = 1): void {
    let micros = ms > 0 ? Math.round(ms * 1000) : 0;
    if (micros > MAX_MICROS) micros = MAX_MICROS;
    this.counts[bucketOf(micros)]! += weight;
    this.count += weight;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** A zero (e.g. an uncontended acquire): the cheapest possible record. */
  recordZero(): void {
    this.counts[0]! += 1;
    this.count += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.maxMs = 0;
  }

  percentiles(): Percentiles {
    return percentilesOf([this]);
  }
}

/**
 * A histogram of the recent past: two halves of `windowMs` each, rotated lazily when a value is recorded
 * or read after the current half expired. Percentiles cover the last one to two windows, so a panel shows
 * what happens now, not an average since start; `lifetimeCount` keeps the total.
 */
export class WindowedHistogram {
  private current = new LatencyHistogram();
  private previous = new LatencyHistogram();
  private rotateAt: number;
  lifetimeCount = 0;
  lifetimeMaxMs = 0;

  constructor(readonly windowMs: number, now: number) {
    this.rotateAt = now + windowMs;
  }

  record(ms: number, now: number): void {
    if (now >= this.rotateAt) this.rotate(now);
    this.current.record(ms);
    this.lifetimeCount += 1;
    if (ms > this.lifetimeMaxMs) this.lifetimeMaxMs = ms;
  }

  recordWeighted(ms: number, now: number, weight: number): void {
    if (now >= this.rotateAt) this.rotate(now);
    this.current.record(ms, weight);
    this.lifetimeCount += weight;
    if (ms > this.lifetimeMaxMs) this.lifetimeMaxMs = ms;
  }

  /** Records a zero without reading the clock; the next timed record or read rotates as needed. */
  recordZero(): void {
    this.current.recordZero();
    this.lifetimeCount += 1;
  }

  percentiles(now: number): Percentiles {
    if (now >= this.rotateAt) this.rotate(now);
    return percentilesOf([this.current, this.previous]);
  }

  private rotate(now: number): void {
    const expired = now >= this.rotateAt + this.windowMs; // idle for more than a whole window: both halves are stale
    const recycled = this.previous;
    recycled.reset();
    if (expired) this.current.reset();
    this.previous = this.current;
    this.current = recycled;
    this.rotateAt = now + this.windowMs;
  }
}

function percentilesOf(parts: readonly LatencyHistogram[]): Percentiles {
  let count = 0;
  let max = 0;
  for (const part of parts) {
    count += part.count;
    if (part.maxMs > max) max = part.maxMs;
  }
  if (count === 0) return EMPTY_PERCENTILES;
  const targets = [0.5, 0.95, 0.99].map((q) => Math.max(1, Math.ceil(q * count)));
  const results = [0, 0, 0];
  let seen = 0;
  let next = 0;
  for (let index = 0; index < BUCKET_COUNT && next < targets.length; index++) {
    for (const part of parts) seen += part.counts[index]!;
    while (next < targets.length && seen >= targets[next]!) {
      results[next] = Math.min(max, bucketUpperMicros(index) / 1000);
      next += 1;
    }
  }
  return { count, p50: round3(results[0]!), p95: round3(results[1]!), p99: round3(results[2]!), max: round3(max) };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
