/**
 * Request latencies of a stress run, in one definition for every figure that shows them: the run's
 * p50…p99 (History, the result card, the CLI report, `--json`, thresholds), each second's (the charts)
 * and each measurement window's (the regression gate) are all percentiles of the requests in that time
 * range, read from histograms of this one kind — per-second histograms are stored with the run and
 * merged for any longer range, so no figure is an average of percentiles.
 *
 * Buckets grow by 1 % (log scale), so a reported value is within 0.5 % of the exact one; memory depends
 * on the spread of latencies, not on how many were recorded. Pure data, no Node or DOM: the stack
 * records, the panel could read.
 */

/** Bucket i holds values in (GROWTH^(i-1), GROWTH^i] microseconds. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1 µs .. 1 h, as the HDR histograms of the stack: anything outside is clamped. */
const LOWEST_US = 1;
const HIGHEST_US = 3_600_000_000;

export interface LatencySummary {
  count: number;
  min: number;
  avg: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export const EMPTY_LATENCY_SUMMARY: LatencySummary = Object.freeze({ count: 0, min: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });

/** What is stored per second of a run: enough to merge exactly. `b` is [bucket, count] pairs, ascending. */
export interface StoredLatencyHistogram {
  readonly n: number;
  readonly sumMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly b: ReadonlyArray<readonly [number, number]>;
}

/**
 * The fewest requests a range needs before its percentile q (0–100) says anything beyond "the slowest
 * one": p95 of 19 requests is the maximum, and so is p99 of 99. Ranges with fewer have no such figure.
 */
export function minimumCountFor(percent: number): number {
  return percent >= 100 ? 1 : Math.max(1, Math.ceil(1 / (1 - percent / 100)));
}

export class LatencyHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sumMs = 0;
  private minMs = Number.POSITIVE_INFINITY;
  private maxMs = Number.NEGATIVE_INFINITY;

  /** Merges stored per-second histograms into one, e.g. the seconds of a measurement window. */
  static merge(stored: Iterable<StoredLatencyHistogram>): LatencyHistogram {
    const merged = new LatencyHistogram();
    for (const one of stored) merged.addStored(one);
    return merged;
  }

  get count(): number {
    return this.total;
  }

  recordMs(ms: number): void {
    const clamped = Math.min(HIGHEST_US / 1000, Math.max(LOWEST_US / 1000, Number.isFinite(ms) ? ms : 0));
    const bucket = Math.ceil(Math.log(clamped * 1000) / LOG_GROWTH - 1e-9);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total += 1;
    this.sumMs += clamped;
    if (clamped < this.minMs) this.minMs = clamped;
    if (clamped > this.maxMs) this.maxMs = clamped;
  }

  add(other: LatencyHistogram): void {
    this.addStored(other.toStored());
  }

  addStored(stored: StoredLatencyHistogram): void {
    if (stored.n === 0) return;
    for (const [bucket, count] of stored.b) this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + count);
    this.total += stored.n;
    this.sumMs += stored.sumMs;
    this.minMs = Math.min(this.minMs, stored.minMs);
    this.maxMs = Math.max(this.maxMs, stored.maxMs);
  }

  reset(): void {
    this.counts.clear();
    this.total = 0;
    this.sumMs = 0;
    this.minMs = Number.POSITIVE_INFINITY;
    this.maxMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * The latency (ms) at or below which `percent` % of the requests fall (nearest rank), 0 when empty.
   * Read at the middle of its bucket and kept within the exact minimum and maximum.
   */
  percentileMs(percent: number): number {
    if (this.total === 0) return 0;
    if (percent >= 100) return this.maxMs;
    const rank = Math.max(1, Math.ceil((Math.max(0, percent) / 100) * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank) {
        const middleUs = Math.pow(GROWTH, bucket - 0.5);
        return Math.min(this.maxMs, Math.max(this.minMs, middleUs / 1000));
      }
    }
    return this.maxMs;
  }

  /** A percentile only where the range holds enough requests to have one (see minimumCountFor). */
  percentileOrNull(percent: number): number | null {
    return this.total >= minimumCountFor(percent) ? round(this.percentileMs(percent)) : null;
  }

  summary(): LatencySummary {
    if (this.total === 0) return EMPTY_LATENCY_SUMMARY;
    return {
      count: this.total,
      min: round(this.minMs),
      avg: round(this.sumMs / this.total),
      p50: round(this.percentileMs(50)),
      p90: round(this.percentileMs(90)),
      p95: round(this.percentileMs(95)),
      p99: round(this.percentileMs(99)),
      max: round(this.maxMs),
    };
  }

  toStored(): StoredLatencyHistogram {
    const b = [...this.counts.entries()].sort((x, y) => x[0] - y[0]);
    return this.total === 0 ? { n: 0, sumMs: 0, minMs: 0, maxMs: 0, b: [] } : { n: this.total, sumMs: round(this.sumMs), minMs: this.minMs, maxMs: this.maxMs, b };
  }
}

/** Milliseconds to the microsecond. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
