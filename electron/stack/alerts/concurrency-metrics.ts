import type { MetricReading } from '../../../shared/contract/alerts';
import type { ConcurrencySnapshot } from '../../../shared/contract/concurrency';
import { metricSegment, type MetricSource } from '../monitor/metric-registry';

/** The 429 share is measured over this much recent time. */
const RATE_WINDOW_MS = 60_000;

interface CounterPoint {
  readonly t: number;
  readonly http429: number;
  readonly admitted: number;
}

/**
 * Semaphores, worker pools and limiters as metrics, from the concurrency snapshot the stack publishes
 * each tick. Two are derived over time: `semaphore.<name>.stalled` is 1 while callers wait and no
 * permit was granted since the previous snapshot (a rule's `forSec` turns that into "no progress for
 * N s"), and the 429 rates compare 429 answers with admitted requests over the last minute.
 */
export class ConcurrencyMetrics implements MetricSource {
  readonly id = 'concurrency';
  private latest: ConcurrencySnapshot | null = null;
  private readonly acquiredBefore = new Map<string, number>();
  private readonly stalled = new Map<string, boolean>();
  private readonly limiterHistory = new Map<string, CounterPoint[]>();

  update(snapshot: ConcurrencySnapshot): void {
    for (const semaphore of snapshot.semaphores) {
      const before = this.acquiredBefore.get(semaphore.name);
      this.stalled.set(semaphore.name, semaphore.waiting > 0 && before !== undefined && semaphore.acquired === before);
      this.acquiredBefore.set(semaphore.name, semaphore.acquired);
    }
    for (const limiter of snapshot.limiters) {
      const history = this.limiterHistory.get(limiter.name) ?? [];
      history.push({ t: snapshot.t, http429: limiter.http429, admitted: limiter.admitted });
      while (history.length > 2 && history[0]!.t < snapshot.t - RATE_WINDOW_MS) history.shift();
      this.limiterHistory.set(limiter.name, history);
    }
    // Forget primitives that were unregistered (a finished run's limiters).
    for (const name of this.acquiredBefore.keys()) if (!snapshot.semaphores.some((s) => s.name === name)) this.acquiredBefore.delete(name);
    for (const name of this.limiterHistory.keys()) if (!snapshot.limiters.some((l) => l.name === name)) this.limiterHistory.delete(name);
    this.latest = snapshot;
  }

  read(): MetricReading[] {
    const snap = this.latest;
    if (!snap) return [];
    const readings: MetricReading[] = [];
    for (const s of snap.semaphores) {
      const name = `semaphore.${metricSegment(s.name)}`;
      readings.push(
        { name: `${name}.waiting`, value: s.waiting, unit: '', description: `callers queued for ${s.name}` },
        { name: `${name}.stalled`, value: this.stalled.get(s.name) ? 1 : 0, unit: '', description: `1 while callers wait on ${s.name} and no permit was granted since the last tick` },
        { name: `${name}.utilization`, value: s.permits > 0 ? (s.inUse / s.permits) * 100 : 0, unit: '%', description: `permits of ${s.name} in use` },
        { name: `${name}.waitP99Ms`, value: s.waitMs.p99, unit: 'ms', description: `wait for a permit of ${s.name}, p99` },
      );
    }
    for (const pool of snap.workerPools) {
      readings.push({ name: `workerPool.${metricSegment(pool.name)}.queued`, value: pool.queued, unit: '', description: `tasks queued for worker pool ${pool.name}` });
    }
    let total429 = 0;
    let totalAdmitted = 0;
    for (const limiter of snap.limiters) {
      const { http429, admitted } = this.windowDelta(limiter.name);
      total429 += http429;
      totalAdmitted += admitted;
      const name = `limiter.${metricSegment(limiter.name)}`;
      readings.push(
        { name: `${name}.queued`, value: limiter.queued, unit: '', description: `requests waiting in limiter ${limiter.name}` },
        { name: `${name}.http429Rate`, value: rate(http429, admitted), unit: '%', description: `429 answers per admitted request through ${limiter.name}, last minute` },
      );
    }
    if (snap.limiters.length > 0) {
      readings.push({ name: 'provider.http429Rate', value: rate(total429, totalAdmitted), unit: '%', description: '429 answers per admitted provider request, all limiters, last minute' });
    }
    return readings;
  }

  private windowDelta(name: string): { http429: number; admitted: number } {
    const history = this.limiterHistory.get(name) ?? [];
    const first = history[0];
    const last = history.at(-1);
    if (!first || !last) return { http429: 0, admitted: 0 };
    return { http429: Math.max(0, last.http429 - first.http429), admitted: Math.max(0, last.admitted - first.admitted) };
  }
}

function rate(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}
