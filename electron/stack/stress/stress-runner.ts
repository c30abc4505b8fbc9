import type { RunProgress, RunSample, RunStatus, RunSummary, StackMode } from '../../../shared/contract/stress';
import type { StressProfile } from '../../../shared/contract/stress-profile';
import type { Clock, TimerHandle } from '../clock/clock';
import type { ArrivalPlan } from './arrival-plan';
import { failureKindOf } from './error-kind';
import type { StoredLatencyHistogram } from '../../../shared/latency-histogram';
import { OpenModelScheduler, type Arrival, type SchedulerResult } from './open-model-scheduler';
import { planOf } from './profiles';
import { RunMetrics } from './run-metrics';
import { describeThreshold, evaluateThresholds, failedAbortThresholds, type MetricReader, type Threshold } from './thresholds';
import { workflowPicker, type StageName, type StressWorkload } from './workload';

/** Counts the database server's connections for the run's database (pg_stat_activity). */
export interface ConnectionProbe {
  /** Our application's server connections now; null when the server could not be asked. */
  sample(): Promise<number | null>;
}

export interface StressRunnerOptions {
  clock: Clock;
  runId: string;
  /** The profile as it runs (after --rate / --duration scaling). */
  profile: StressProfile;
  mode: StackMode;
  workload: StressWorkload;
  thresholds: readonly Threshold[];
  connections?: ConnectionProbe | null;
  /** The HTTP target as shown (secrets masked), for target runs. */
  targetLabel?: string | null;
  /** Name of the chaos scenario running alongside, for the summary. */
  chaos?: string | null;
  /** Called once per second of the run, and once for the last partial second, with that second's latency histogram. */
  onSample?: (sample: RunSample, latency: StoredLatencyHistogram) => void;
  tickMs?: number;
  lateAfterMs?: number;
  /** How often the server's connection count is read. Default 250 ms. */
  probeIntervalMs?: number;
}

const STAGE_FOR_METRIC: Record<string, StageName> = {
  semaphore_wait_ms: 'semaphore_wait',
  limiter_wait_ms: 'limiter_wait',
  pool_acquire_ms: 'pool_acquire',
  provider_ms: 'provider',
  ttfb_ms: 'ttfb',
};

/**
 * One stress run: the open-model scheduler drives the workload along the profile's arrival plan, every
 * request is timed from its intended start, failures are classified by kind, the database server's
 * connection count is polled, and a sample is taken each second (handed to `onSample`, not kept).
 * Abort-on-fail thresholds are checked each second. `run` resolves with the summary once everything the
 * run started has settled; nothing it started (timers, probes, requests) outlives it.
 */
export class StressRunner {
  private readonly clock: Clock;
  private readonly plan: ArrivalPlan;
  private readonly metrics = new RunMetrics();
  private readonly scheduler: OpenModelScheduler;
  private readonly stopController = new AbortController();
  private readonly pick: (index: number) => ReturnType<ReturnType<typeof workflowPicker>>;
  private sampleTimer: TimerHandle | null = null;
  private probeTimer: TimerHandle | null = null;
  private probeInFlight: Promise<void> | null = null;
  private status: RunStatus = 'running';
  private abortedBy: string | null = null;
  private secondsTaken = 0;
  private finished = false;
  private endedAt: number | null = null;

  constructor(private readonly options: StressRunnerOptions) {
    this.clock = options.clock;
    this.plan = planOf(options.profile);
    this.pick = workflowPicker(options.profile.mix);
    this.scheduler = new OpenModelScheduler({
      clock: options.clock,
      plan: this.plan,
      maxInFlight: options.profile.maxVUs,
      gracefulStopMs: options.profile.gracefulStopS * 1000,
      ...(options.tickMs === undefined ? {} : { tickMs: options.tickMs }),
      ...(options.lateAfterMs === undefined ? {} : { lateAfterMs: options.lateAfterMs }),
      execute: (arrival) => this.execute(arrival),
    });
  }

  get plannedArrivals(): number {
    return this.plan.plannedArrivals;
  }

  /** Why the run was aborted by a threshold, if it was. */
  get abortReason(): string | null {
    return this.abortedBy;
  }

  /** Stops the run early (status `stopped`): no new arrivals, in-flight requests are cancelled. */
  stop(): void {
    this.stopController.abort(new Error('stress run stopped'));
  }

  progress(): RunProgress {
    const counters = this.scheduler.counters;
    const startedAt = this.scheduler.startedAt;
    const elapsedMs = startedAt === 0 ? 0 : (this.endedAt ?? this.clock.now()) - startedAt;
    const latency = this.metrics.latency.summary();
    return {
      runId: this.options.runId,
      profile: this.options.profile.name,
      mode: this.options.mode,
      status: this.status,
      phase: this.finished ? 'done' : elapsedMs < this.plan.durationMs ? 'running' : 'finishing',
      elapsedMs: Math.round(elapsedMs),
      plannedMs: this.plan.durationMs,
      targetRate: round(this.plan.rateAt(elapsedMs), 2),
      achievedRate: this.metrics.lastAchievedRate,
      requests: {
        planned: this.plan.plannedArrivals,
        started: counters.started,
        completed: this.metrics.completed,
        failed: this.metrics.failed,
        dropped: counters.dropped,
        late: counters.late,
        inFlight: counters.inFlight,
      },
      latencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99 },
      errors: { ...this.metrics.errors },
      http429: this.metrics.http429,
      dbConnections: this.metrics.lastConnections,
      thresholds: this.options.thresholds.map(describeThreshold),
      ...(this.options.targetLabel ? { target: this.options.targetLabel } : {}),
    };
  }

  async run(signal?: AbortSignal): Promise<RunSummary> {
    const onAbort = (): void => this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) this.stop();
    let result: SchedulerResult;
    try {
      const running = this.scheduler.run(this.stopController.signal);
      this.scheduleSample(1);
      this.scheduleProbe();
      result = await running;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.finished = true;
      if (this.sampleTimer) this.clock.clearTimeout(this.sampleTimer);
      if (this.probeTimer) this.clock.clearTimeout(this.probeTimer);
      this.sampleTimer = null;
      this.probeTimer = null;
      await this.probeInFlight;
    }
    this.endedAt = result.endedAt;
    this.takeFinalSample(result);
    this.status = this.abortedBy !== null ? 'aborted' : result.end === 'stopped' ? 'stopped' : 'completed';
    const summary = this.summarize(result);
    this.metrics.dispose();
    return summary;
  }

  private async execute(arrival: Arrival): Promise<void> {
    try {
      await this.options.workload.execute(this.pick(arrival.index), arrival);
      this.metrics.recordSuccess(this.clock.now() - arrival.intendedAt);
    } catch (error) {
      this.metrics.recordFailure(arrival.signal.aborted ? { kind: 'aborted', shed: false } : failureKindOf(error));
    }
  }

  private scheduleSample(second: number): void {
    const dueAt = this.scheduler.startedAt + second * 1000;
    this.sampleTimer = this.clock.setTimeout(() => {
      this.sampleTimer = null;
      this.emitSample(dueAt);
      this.checkAbortThresholds();
      if (!this.finished) this.scheduleSample(second + 1);
    }, Math.max(0, dueAt - this.clock.now()));
  }

  private emitSample(at: number): void {
    this.secondsTaken += 1;
    const elapsed = at - this.scheduler.startedAt;
    // The planned rate in the middle of the second the sample covers.
    const { sample, latency } = this.metrics.takeSample(at, this.plan.rateAt(Math.max(0, elapsed - 500)), this.scheduler.counters, this.options.workload);
    this.options.onSample?.(sample, latency);
  }

  /** The time after the last whole second becomes one more sample, so no request is left out. */
  private takeFinalSample(result: SchedulerResult): void {
    if (this.secondsTaken === 0 || this.metrics.hasUnsampled(result.counters)) this.emitSample(result.endedAt);
  }

  private scheduleProbe(): void {
    const probe = this.options.connections;
    if (!probe) return;
    const interval = this.options.probeIntervalMs ?? 250;
    const tick = (): void => {
      this.probeTimer = null;
      if (this.finished) return;
      this.probeInFlight ??= probe
        .sample()
        .then((count) => this.metrics.recordConnections(count))
        .catch(() => undefined)
        .finally(() => {
          this.probeInFlight = null;
        });
      this.probeTimer = this.clock.setTimeout(tick, interval);
    };
    tick();
  }

  private checkAbortThresholds(): void {
    if (this.abortedBy !== null || this.stopController.signal.aborted) return;
    const failed = failedAbortThresholds(this.options.thresholds, this.reader(), this.clock.now() - this.scheduler.startedAt);
    if (failed.length === 0) return;
    this.abortedBy = `threshold ${failed.map(describeThreshold).join(', ')} failed (abortOnFail)`;
    this.stop();
  }

  private reader(): MetricReader {
    const m = this.metrics;
    const counters = this.scheduler.counters;
    const elapsedS = Math.max(1e-3, (this.clock.now() - this.scheduler.startedAt) / 1000);
    const finishedCount = m.completed + m.failed;
    return (metric, aggregation) => {
      const trend = (h: { avg: number; min: number; max: number; percentile: (p: number) => number } | null, count: number): number | undefined => {
        if (!h || count === 0) return undefined;
        switch (aggregation.name) {
          case 'avg':
            return h.avg;
          case 'min':
            return h.min;
          case 'max':
            return h.max;
          case 'med':
            return h.percentile(50);
          case 'p':
            return h.percentile(aggregation.percentile ?? 50);
          default:
            return undefined;
        }
      };
      const ratio = (part: number, whole: number): number | undefined => (aggregation.name === 'count' ? part : whole === 0 ? undefined : part / whole);
      const counter = (count: number): number => (aggregation.name === 'rate' ? count / elapsedS : count);
      switch (metric) {
        case 'latency_ms':
          return trend(trendOf(m.latency), m.latency.count);
        case 'errors':
          return ratio(m.failed - m.shed - m.aborted, finishedCount - m.aborted);
        case 'shed':
          return ratio(m.shed, finishedCount);
        case 'dropped':
          return ratio(counters.dropped, counters.due);
        case 'late':
          return ratio(counters.late, counters.started);
        case 'http_429':
          return counter(m.http429);
        case 'retries':
          return counter(m.retries);
        case 'db_server_connections':
          return aggregation.name === 'max' ? (m.maxConnections ?? undefined) : aggregation.name === 'min' ? (m.minConnections ?? undefined) : (m.lastConnections ?? undefined);
        case 'event_loop_delay_ms':
          return trend(m.eventLoop(), 1);
        default: {
          const stage = STAGE_FOR_METRIC[metric];
          const h = stage ? this.options.workload.stage(stage) : null;
          return h ? trend(trendOf(h), h.count) : undefined;
        }
      }
    };
  }

  private summarize(result: SchedulerResult): RunSummary {
    const m = this.metrics;
    const counters = result.counters;
    const thresholds = evaluateThresholds(this.options.thresholds, this.reader());
    const scheduleS = (result.scheduleEndedAt - result.startedAt) / 1000;
    const plannedS = this.plan.durationMs / 1000;
    // Achieved rate = started arrivals ÷ the schedule time they cover. Arrival k is due at the start of
    // its slot, so a run stopped early has started arrivals whose slots reach past the stop: dividing
    // by the time until the stop alone overstated the rate (2.37/s in a 2/s plan). A run stopped early
    // is measured up to the end of the last due arrival's slot; a completed one over the whole plan.
    const coveredS = result.end === 'completed' ? plannedS : this.plan.dueAtMs(counters.due) / 1000;
    const basisS = Math.max(scheduleS, coveredS, 1e-3);
    const latency = m.latency.summary();
    const totals = this.options.workload.totals();
    const acquire = this.options.workload.stage('pool_acquire');
    return {
      run_id: this.options.runId,
      profile: this.options.profile.name,
      mode: this.options.mode,
      ok: this.status === 'completed' && thresholds.every((t) => t.ok),
      status: this.status,
      thresholds,
      requests: {
        planned: this.plan.plannedArrivals,
        completed: m.completed,
        failed: m.failed,
        dropped: counters.dropped,
        late: counters.late,
        shed: m.shed,
      },
      rate: { target: round(this.plan.meanRate, 2), achieved: round(counters.started / basisS, 2), peak: round(this.plan.peakRate, 2) },
      latency_ms: { p50: latency.p50, p90: latency.p90, p95: latency.p95, p99: latency.p99, max: latency.max },
      errors: { ...m.errors },
      provider: { http_429: m.http429, retries: m.retries, calls: totals.providerCalls, name: totals.providerName },
      db: {
        max_server_connections: m.maxConnections,
        pool_max: totals.poolMax,
        acquire_wait_p99_ms: acquire && acquire.count > 0 ? round(acquire.percentileMs(99), 3) : null,
        too_many_clients: m.errors.too_many_clients ?? 0,
      },
      runtime: { event_loop_p99_ms: round(m.eventLoop().percentile(99), 2), heap_peak_mb: m.heapPeakMb, rss_peak_mb: m.rssPeakMb },
      duration_s: round((result.endedAt - result.startedAt) / 1000, 2),
      chaos: this.options.chaos ?? null,
      ...(this.options.workload.targetSummary
        ? { target: { ...this.options.workload.targetSummary(), ttlb_ms: { p50: latency.p50, p90: latency.p90, p95: latency.p95, p99: latency.p99, max: latency.max } } }
        : {}),
      regression: null,
    };
  }
}

/** Any latency histogram of the stack: the run's own, or a stage's (HDR). */
interface LatencyReadable {
  summary(): { avg: number; min: number; max: number };
  percentileMs(percent: number): number;
}

function trendOf(h: LatencyReadable): { avg: number; min: number; max: number; percentile: (p: number) => number } {
  const s = h.summary();
  return { avg: s.avg, min: s.min, max: s.max, percentile: (p) => h.percentileMs(p) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
