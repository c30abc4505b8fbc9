import type { RunWindow, RunWindows } from '../../../shared/contract/regression';
import type { RunSample } from '../../../shared/contract/stress';

/** About this many windows per run: enough for the rank test to see a shift, each still holding many requests. */
export const TARGET_WINDOWS = 20;

/**
 * Cuts a run's per-second samples into equal measurement windows (about 20 of them, at least one
 * second each) and computes each window's throughput, latency percentiles and error rate.
 *
 * A window's percentile is the request-weighted mean of its seconds' percentiles: not the exact
 * percentile of the window's requests (those are not stored), but the same statistic on both sides
 * of a comparison, which is what the gate needs. Dropped arrivals count as errors: a request that
 * never ran failed the user as surely as one that errored. Seconds with no finished request (a ramp
 * starting from zero) are skipped; a window where requests only failed has an error rate but no latency.
 */
export function runWindows(samples: readonly RunSample[], windowSeconds?: number): RunWindows {
  const ordered = [...samples].sort((a, b) => a.second - b.second);
  const seconds = ordered.length;
  const size = Math.max(1, windowSeconds ?? Math.floor(seconds / TARGET_WINDOWS));
  const windows: RunWindow[] = [];
  // Whole windows only: a short tail window would be noisier than the rest.
  for (let start = 0; start + size <= seconds; start += size) {
    const slice = ordered.slice(start, start + size);
    const completed = sum(slice, (s) => s.completed);
    const failed = sum(slice, (s) => s.failed + s.dropped);
    if (completed + failed === 0) continue;
    const weighted = (read: (s: RunSample) => number): number | null =>
      completed === 0 ? null : slice.reduce((total, s) => total + read(s) * s.completed, 0) / completed;
    windows.push({
      startMs: (slice[0]!.second - 1) * 1000,
      throughput: completed / size,
      p50: weighted((s) => s.latencyMs.p50),
      p95: weighted((s) => s.latencyMs.p95),
      p99: weighted((s) => s.latencyMs.p99),
      errorRate: failed / (completed + failed),
      requests: completed + failed,
    });
  }
  return { windowMs: size * 1000, windows };
}

function sum(samples: readonly RunSample[], read: (s: RunSample) => number): number {
  return samples.reduce((total, s) => total + read(s), 0);
}
