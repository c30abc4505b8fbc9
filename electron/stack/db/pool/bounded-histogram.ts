import type { Distribution } from '../../../../shared/contract/pool';
import type { Clock } from '../../clock/clock';

const MIN_MS = 0.01;
const GROWTH = 1.1; // 10 % wide buckets: plenty for p99 of waits and holds
const BUCKETS = 180; // 0.01 ms · 1.1^180 ≈ 280 s; slower values land in the last bucket (max stays exact)
const LOG_GROWTH = Math.log(GROWTH);

interface Half {
  startedAt: number;
  counts: Uint32Array;
  count: number;
  max: number;
}

/**
 * A fixed-size latency histogram over a sliding window (two halves, rotated): constant memory however
 * many values are recorded, percentiles of roughly the last `windowMs`, 10 % resolution.
 */
export class BoundedHistogram {
  private readonly halfMs: number;
  private current: Half;
  private previous: Half;

  constructor(private readonly clock: Clock, windowMs = 60_000) {
    this.halfMs = windowMs / 2;
    this.current = this.emptyHalf(clock.now());
    this.previous = this.emptyHalf(clock.now() - this.halfMs);
  }

  record(valueMs: number): void {
    this.rotate();
    const value = Math.max(0, valueMs);
    this.current.counts[bucketOf(value)]! += 1;
    this.current.count += 1;
    if (value > this.current.max) this.current.max = value;
  }

  distribution(): Distribution {
    this.rotate();
    const count = this.current.count + this.previous.count;
    const max = Math.max(this.current.max, this.previous.max);
    if (count === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
    const at = (q: number): number => {
      const rank = Math.ceil(q * count);
      let seen = 0;
      for (let i = 0; i < BUCKETS; i++) {
        seen += (this.current.counts[i] ?? 0) + (this.previous.counts[i] ?? 0);
        if (seen >= rank) return Math.min(max, upperBound(i));
      }
      return max;
    };
    return { count, p50: at(0.5), p95: at(0.95), p99: at(0.99), max };
  }

  private rotate(): void {
    const now = this.clock.now();
    if (now - this.current.startedAt < this.halfMs) return;
    // More than a whole window went by without records: both halves are stale.
    this.previous = now - this.current.startedAt < 2 * this.halfMs ? this.current : this.emptyHalf(now - this.halfMs);
    this.current = this.emptyHalf(now);
  }

  private emptyHalf(startedAt: number): Half {
    return { startedAt, counts: new Uint32Array(BUCKETS), count: 0, max: 0 };
  }
}

function bucketOf(valueMs: number): number {
  if (valueMs <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(valueMs / MIN_MS) / LOG_GROWTH) + 1);
}

function upperBound(bucket: number): number {
  return MIN_MS * GROWTH ** bucket;
}
