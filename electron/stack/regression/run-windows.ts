import type { RunWindow, RunWindows } from '../../../shared/contract/regression';
import type { RunSample } from '../../../shared/contract/stress';
import { LatencyHistogram, minimumCountFor, type StoredLatencyHistogram } from '../../../shared/latency-histogram';

/** About this many windows per run: enough for the rank test to see a shift, each still holding many requests. */
export const TARGET_WINDOWS = 20;
/** Never fewer than this many windows (the gate's default minimum): windows grow to hold a p95 only up to it. */
export const MIN_WINDOWS = 6;

/**
 * Cuts a run's per-second samples into equal measurement windows and computes each window's
 * throughput, latency percentiles and error rate. Windows are about a twentieth of the run, at least a
 * second — and longer where that is needed for each to hold the 20 requests a p95 needs, as long as
 * MIN_WINDOWS remain. `windowSeconds` imposes a size (a run compared with a baseline is cut like it).
 *
 * A window's percentile is the percentile of the requests that finished in it: the window's seconds'
 * latency histograms (stored with the run) merged — the same definition as the run's own p95 on
 * History, over a shorter range. A window with too few requests to have that percentile (p95 needs
 * 20, p99 100: below that it is just the slowest request) has none, rather than repeating its maximum.
 * Runs stored before the histograms were kept fall back to the request-weighted mean of their seconds'
 * percentiles, an approximation under the same minimum.
 *
 * Dropped arrivals count as errors: a request that never ran failed the user as surely as one that
 * errored. Seconds with no finished request (a ramp starting from zero) are skipped; a window where
 * requests only failed has an error rate but no latency.
 */
export function runWindows(
  samples: readonly RunSample[],
  latencyBySecond: ReadonlyMap<number, StoredLatencyHistogram> = new Map(),
  windowSeconds?: number,
): RunWindows {
  const ordered = [...samples].sort((a, b) => a.second - b.second);
  const seconds = ordered.length;
  const size = Math.max(1, windowSeconds ?? defaultWindowSeconds(ordered));
  const windows: RunWindow[] = [];
  // Whole windows only: a short tail window would be noisier than the rest.
  for (let start = 0; start + size <= seconds; start += size) {
    const slice = ordered.slice(start, start + size);
    const completed = sum(slice, (s) => s.completed);
    const failed = sum(slice, (s) => s.failed + s.dropped);
    if (completed + failed === 0) continue;
    const percentile = windowPercentiles(slice, completed, latencyBySecond);
    windows.push({
      startMs: (slice[0]!.second - 1) * 1000,
      throughput: completed / size,
      p50: percentile(50),
      p95: percentile(95),
      p99: percentile(99),
      errorRate: failed / (completed + failed),
      requests: completed + failed,
    });
  }
  return { windowMs: size * 1000, windows };
}

function defaultWindowSeconds(ordered: readonly RunSample[]): number {
  const seconds = ordered.length;
  const perSecond = sum(ordered, (s) => s.completed) / Math.max(1, seconds);
  const forP95 = perSecond === 0 ? 1 : Math.ceil(minimumCountFor(95) / perSecond);
  const target = Math.floor(seconds / TARGET_WINDOWS);
  return Math.max(1, target, Math.min(forP95, Math.floor(seconds / MIN_WINDOWS)));
}

function windowPercentiles(
  slice: readonly RunSample[],
  completed: number,
  latencyBySecond: ReadonlyMap<number, StoredLatencyHistogram>,
): (percent: 50 | 95 | 99) => number | null {
  const stored = slice.map((s) => latencyBySecond.get(s.second));
  if (stored.every((h): h is StoredLatencyHistogram => h !== undefined)) {
    const merged = LatencyHistogram.merge(stored);
    return (percent) => merged.percentileOrNull(percent);
  }
  const key = { 50: 'p50', 95: 'p95', 99: 'p99' } as const;
  return (percent) =>
    completed < minimumCountFor(percent) ? null : slice.reduce((total, s) => total + s.latencyMs[key[percent]] * s.completed, 0) / completed;
}

function sum(samples: readonly RunSample[], read: (s: RunSample) => number): number {
  return samples.reduce((total, s) => total + read(s), 0);
}
