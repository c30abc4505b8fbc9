import type { RunSample } from '../../../../shared/contract/stress';
import type { Clock, TimerHandle } from '../../clock/clock';
import { failureKindOf } from '../../stress/error-kind';
import { quantileSorted } from '../../regression/sample-stats';

export interface ProbeTrafficOptions {
  readonly clock: Clock;
  /** One request of the traffic; throws on failure (classified like a stress run's failures). */
  readonly call: (signal: AbortSignal) => Promise<void>;
  /** Arrivals per second (open model: a late answer does not delay the next arrival). */
  readonly ratePerSec?: number;
  /** At most this many in flight; an arrival beyond it is dropped and counted. */
  readonly maxInFlight?: number;
}

interface SecondBucket {
  started: number;
  completed: number;
  failed: number;
  dropped: number;
  errors: Record<string, number>;
  latencies: number[];
}

/**
 * Light steady traffic for a scenario run alone: a few requests a second through the dependency under
 * test, recorded per second in the same shape as a stress run's samples, so one verdict code judges
 * both. Every arrival ends as completed, failed (with its kind) or dropped.
 */
export class ProbeTraffic {
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly seconds: SecondBucket[] = [];
  private startedAt = 0;
  private timer: TimerHandle | null = null;

  constructor(private readonly options: ProbeTrafficOptions) {}

  start(): void {
    this.startedAt = this.options.clock.now();
    this.schedule();
  }

  async stop(): Promise<RunSample[]> {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.inFlight]);
    this.controller.abort();
    return this.samples();
  }

  samples(): RunSample[] {
    return this.seconds.map((bucket, index) => {
      const sorted = [...bucket.latencies].sort((a, b) => a - b);
      const pick = (q: number): number => (sorted.length === 0 ? 0 : quantileSorted(sorted, q));
      return {
        t: this.startedAt + (index + 1) * 1000,
        second: index + 1,
        targetRate: this.options.ratePerSec ?? 5,
        started: bucket.started,
        completed: bucket.completed,
        failed: bucket.failed,
        dropped: bucket.dropped,
        late: 0,
        inFlight: 0,
        latencyMs: { p50: pick(0.5), p95: pick(0.95), p99: pick(0.99), max: sorted.at(-1) ?? 0 },
        errors: bucket.errors,
        http429: bucket.errors.http_429 ?? 0,
        retries: 0,
        dbConnections: null,
        poolWaiting: null,
        semaphoreWaitP99Ms: null,
        limiterWaitP99Ms: null,
        poolAcquireP99Ms: null,
        providerP95Ms: null,
        eventLoopP99Ms: 0,
        rssMb: 0,
        heapUsedMb: 0,
      };
    });
  }

  private bucket(at: number): SecondBucket {
    const index = Math.max(0, Math.floor((at - this.startedAt) / 1000));
    while (this.seconds.length <= index) this.seconds.push({ started: 0, completed: 0, failed: 0, dropped: 0, errors: {}, latencies: [] });
    return this.seconds[index]!;
  }

  private schedule(): void {
    const everyMs = 1000 / (this.options.ratePerSec ?? 5);
    this.timer = this.options.clock.setTimeout(() => {
      this.arrive();
      if (this.timer) this.schedule();
    }, everyMs);
  }

  private arrive(): void {
    const { clock } = this.options;
    const arrivedAt = clock.now();
    if (this.inFlight.size >= (this.options.maxInFlight ?? 4)) {
      this.bucket(arrivedAt).dropped += 1;
      return;
    }
    this.bucket(arrivedAt).started += 1;
    const request = this.options
      .call(this.controller.signal)
      .then(
        () => {
          const done = clock.now();
          const bucket = this.bucket(done);
          bucket.completed += 1;
          bucket.latencies.push(done - arrivedAt);
        },
        (error: unknown) => {
          const bucket = this.bucket(clock.now());
          bucket.failed += 1;
          const { kind } = failureKindOf(error);
          bucket.errors[kind] = (bucket.errors[kind] ?? 0) + 1;
        },
      )
      .finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }
}
