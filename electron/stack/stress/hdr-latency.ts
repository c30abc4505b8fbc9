import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Latency in an HDR histogram (node's perf_hooks.createHistogram, HdrHistogram inside): fixed memory
 * whatever the number of requests, percentiles with 3 significant digits. It records whole integers,
 * so milliseconds are stored as microseconds; values are clamped to [1 µs, 1 h].
 */
const HIGHEST_MICROS = 3_600_000_000;

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

export const EMPTY_LATENCY: LatencySummary = Object.freeze({ count: 0, min: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 });

export class HdrLatency {
  private readonly histogram: RecordableHistogram;

  constructor(significantFigures: 1 | 2 | 3 | 4 | 5 = 3) {
    this.histogram = createHistogram({ lowest: 1, highest: HIGHEST_MICROS, figures: significantFigures });
  }

  get count(): number {
    return this.histogram.count;
  }

  recordMs(ms: number): void {
    const micros = Math.round(ms * 1000);
    this.histogram.record(micros < 1 ? 1 : micros > HIGHEST_MICROS ? HIGHEST_MICROS : micros);
  }

  /** The value (ms) at or below which `percent` % of recorded values fall. */
  percentileMs(percent: number): number {
    return this.histogram.count === 0 ? 0 : this.histogram.percentile(percent) / 1000;
  }

  /** Adds another histogram's values into this one (e.g. a finished second into the run total). */
  add(other: HdrLatency): void {
    this.histogram.add(other.histogram);
  }

  reset(): void {
    this.histogram.reset();
  }

  summary(): LatencySummary {
    const h = this.histogram;
    if (h.count === 0) return EMPTY_LATENCY;
    return {
      count: h.count,
      min: round(h.min / 1000),
      avg: round(h.mean / 1000),
      p50: round(h.percentile(50) / 1000),
      p90: round(h.percentile(90) / 1000),
      p95: round(h.percentile(95) / 1000),
      p99: round(h.percentile(99) / 1000),
      max: round(h.max / 1000),
    };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
