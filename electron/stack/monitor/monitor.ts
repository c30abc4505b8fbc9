import type { RuntimeSample } from '../../../shared/contract';
import type { Clock, TimerHandle } from '../clock/clock';
import type { EventHub } from '../events/event-hub';
import type { RuntimeSamplesRepo } from '../store/runtime-samples-repo';
import { RuntimeSampler } from './runtime-sampler';

export interface MonitorTick {
  readonly t: number;
  readonly runtime: RuntimeSample;
}

export type TickListener = (tick: MonitorTick) => void;

export interface MonitorOptions {
  clock: Clock;
  hub: EventHub;
  samples: RuntimeSamplesRepo;
  /** How often to sample and push; 250 ms = 4 Hz. */
  intervalMs?: number;
  /** How often a sample is written to SQLite. */
  persistEveryMs?: number;
  /** How long stored samples are kept. */
  retentionMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * The stack's heartbeat. Each tick samples the runtime, pushes it to every subscriber, and calls the
 * tick listeners that features register (concurrency, pool, alerts) so they can publish their own
 * snapshots on the same beat. Stored samples are thinned to `persistEveryMs` and pruned to `retentionMs`.
 */
export class Monitor {
  readonly intervalMs: number;
  private readonly persistEveryMs: number;
  private readonly retentionMs: number;
  private readonly sampler: RuntimeSampler;
  private readonly tickListeners = new Set<TickListener>();
  private timer: TimerHandle | null = null;
  private latestSample: RuntimeSample | null = null;
  private lastPersistedAt = 0;
  private lastPrunedAt = 0;

  constructor(private readonly options: MonitorOptions) {
    this.intervalMs = options.intervalMs ?? 250;
    this.persistEveryMs = options.persistEveryMs ?? 1000;
    this.retentionMs = options.retentionMs ?? 6 * 60 * 60 * 1000;
    this.sampler = new RuntimeSampler(options.clock);
  }

  get latest(): RuntimeSample | null {
    return this.latestSample;
  }

  start(): void {
    if (this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.sampler.dispose();
  }

  onTick(listener: TickListener): () => void {
    this.tickListeners.add(listener);
    return () => {
      this.tickListeners.delete(listener);
    };
  }

  /** Takes one sample now; the timer calls this, tests may too. */
  tick(): MonitorTick {
    const runtime = this.sampler.sample();
    this.latestSample = runtime;
    const tick: MonitorTick = { t: runtime.t, runtime };
    this.options.hub.publish('runtime.sample', runtime);
    for (const listener of this.tickListeners) {
      try {
        listener(tick);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
    this.persist(runtime);
    return tick;
  }

  private schedule(): void {
    this.timer = this.options.clock.setTimeout(() => {
      try {
        this.tick();
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        if (this.timer) this.schedule();
      }
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private persist(sample: RuntimeSample): void {
    if (sample.t - this.lastPersistedAt < this.persistEveryMs) return;
    this.lastPersistedAt = sample.t;
    this.options.samples.insert(sample);
    if (sample.t - this.lastPrunedAt > 60_000) {
      this.lastPrunedAt = sample.t;
      this.options.samples.prune(sample.t - this.retentionMs);
    }
  }
}
