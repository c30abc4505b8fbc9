import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { RunSample } from '../../../shared/contract/stress';
import type { FailureKind } from './error-kind';
import { LatencyHistogram, type StoredLatencyHistogram } from '../../../shared/latency-histogram';
import type { SchedulerCounters } from './open-model-scheduler';
import type { StressWorkload } from './workload';

const MB = 1024 * 1024;
const NS_PER_MS = 1e6;
/** monitorEventLoopDelay's timer interval; the delay is what comes on top of it. */
const LOOP_RESOLUTION_MS = 10;

/**
 * Everything a run counts, in bounded memory: run-long totals and the current second's deltas, latency
 * histograms (successful requests, from their intended start; shared/latency-histogram.ts, the one
 * definition every latency figure uses), and the event-loop delay of this process. Nothing is kept per
 * request; a one-hour run and a one-minute run use the same memory.
 */
export class RunMetrics {
  readonly latency = new LatencyHistogram();
  private readonly secondLatency = new LatencyHistogram();
  private readonly loopTotal: IntervalHistogram;
  private readonly loopSecond: IntervalHistogram;
  completed = 0;
  failed = 0;
  shed = 0;
  /** Failed because the run was stopped (not the stack's fault; left out of the error rate). */
  aborted = 0;
  readonly errors: Record<string, number> = {};
  private secondErrors: Record<string, number> = {};
  private secondCompleted = 0;
  private secondFailed = 0;
  private lastCounters: SchedulerCounters = { due: 0, started: 0, dropped: 0, late: 0, inFlight: 0, maxInFlightSeen: 0, settled: 0 };
  http429 = 0;
  retries = 0;
  /** Server connections: most seen in the current second and in the run; last value. */
  private secondConnections: number | null = null;
  maxConnections: number | null = null;
  lastConnections: number | null = null;
  minConnections: number | null = null;
  heapPeakMb = 0;
  rssPeakMb = 0;
  lastAchievedRate = 0;
  private seconds = 0;

  constructor() {
    this.loopTotal = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loopSecond = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    this.loopTotal.enable();
    this.loopSecond.enable();
  }

  recordSuccess(latencyMs: number): void {
    this.completed += 1;
    this.secondCompleted += 1;
    this.latency.recordMs(latencyMs);
    this.secondLatency.recordMs(latencyMs);
  }

  recordFailure(failure: FailureKind): void {
    this.failed += 1;
    this.secondFailed += 1;
    if (failure.shed) this.shed += 1;
    if (failure.kind === 'aborted') this.aborted += 1;
    this.errors[failure.kind] = (this.errors[failure.kind] ?? 0) + 1;
    this.secondErrors[failure.kind] = (this.secondErrors[failure.kind] ?? 0) + 1;
  }

  recordConnections(count: number | null): void {
    if (count === null) return;
    this.lastConnections = count;
    if (this.secondConnections === null || count > this.secondConnections) this.secondConnections = count;
    if (this.maxConnections === null || count > this.maxConnections) this.maxConnections = count;
    if (this.minConnections === null || count < this.minConnections) this.minConnections = count;
  }

  /** Event-loop delay over the run so far (ms), as a trend for thresholds. */
  eventLoop(): { avg: number; min: number; max: number; percentile: (p: number) => number } {
    const h = this.loopTotal;
    const toMs = (ns: number): number => (h.count === 0 ? 0 : Math.max(0, ns / NS_PER_MS - LOOP_RESOLUTION_MS));
    return { avg: toMs(h.mean), min: toMs(h.min), max: toMs(h.max), percentile: (p) => toMs(h.percentile(p)) };
  }

  /** Whether anything was counted since the last sample (so a final partial sample is needed). */
  hasUnsampled(counters: SchedulerCounters): boolean {
    const last = this.lastCounters;
    return (
      this.secondCompleted + this.secondFailed > 0 || counters.started !== last.started || counters.dropped !== last.dropped || counters.late !== last.late
    );
  }

  /**
   * Closes the current second: returns its sample, and its latency histogram to store beside it, and
   * starts the next. The last second may be partial (its counts are raw counts; rates are the caller's).
   */
  takeSample(now: number, targetRate: number, counters: SchedulerCounters, workload: StressWorkload): { sample: RunSample; latency: StoredLatencyHistogram } {
    this.seconds += 1;
    const previous = this.lastCounters;
    this.lastCounters = { ...counters };
    const interval = workload.takeInterval();
    this.http429 += interval.http429;
    this.retries += interval.retries;
    const memory = process.memoryUsage();
    const heapMb = round(memory.heapUsed / MB, 1);
    const rssMb = round(memory.rss / MB, 1);
    this.heapPeakMb = Math.max(this.heapPeakMb, heapMb);
    this.rssPeakMb = Math.max(this.rssPeakMb, rssMb);
    const latency = this.secondLatency.summary();
    const stored = this.secondLatency.toStored();
    const loop = this.loopSecond;
    const loopP99 = loop.count === 0 ? 0 : Math.max(0, loop.percentile(99) / NS_PER_MS - LOOP_RESOLUTION_MS);
    const started = counters.started - previous.started;
    this.lastAchievedRate = started;
    const sample: RunSample = {
      t: now,
      second: this.seconds,
      targetRate: round(targetRate, 2),
      started,
      completed: this.secondCompleted,
      failed: this.secondFailed,
      dropped: counters.dropped - previous.dropped,
      late: counters.late - previous.late,
      inFlight: counters.inFlight,
      latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99, max: latency.max },
      errors: this.secondErrors,
      http429: interval.http429,
      retries: interval.retries,
      dbConnections: this.secondConnections ?? this.lastConnections,
      poolWaiting: interval.poolWaiting,
      semaphoreWaitP99Ms: interval.semaphoreWaitP99Ms,
      limiterWaitP99Ms: interval.limiterWaitP99Ms,
      poolAcquireP99Ms: interval.poolAcquireP99Ms,
      providerP95Ms: interval.providerP95Ms,
      eventLoopP99Ms: round(loopP99, 2),
      rssMb,
      heapUsedMb: heapMb,
      ...(interval.adaptiveLimits ? { adaptiveLimits: interval.adaptiveLimits } : {}),
      ...(interval.http ? { http: interval.http } : {}),
    };
    this.secondLatency.reset();
    this.loopSecond.reset();
    this.secondErrors = {};
    this.secondCompleted = 0;
    this.secondFailed = 0;
    this.secondConnections = null;
    return { sample, latency: stored };
  }

  dispose(): void {
    this.loopTotal.disable();
    this.loopSecond.disable();
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
