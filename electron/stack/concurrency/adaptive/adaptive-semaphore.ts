import type { AdaptiveLimitData, SemaphoreSnapshot } from '../../../../shared/contract/concurrency';
import { systemClock, type Clock } from '../../clock/clock';
import { Semaphore, type AcquireOptions, type Permit, type SemaphoreOptions } from '../semaphore';
import { classifyCallError, type CallOutcome } from './call-outcome';
import type { LimitAlgorithm } from './limit-algorithm';
import { LimitHistory } from './limit-history';

export interface AdaptiveSemaphoreOptions extends Omit<SemaphoreOptions, 'permits'> {
  /** Finds the limit: `new AimdAlgorithm({min, max})` or `new GradientAlgorithm({min, max})`. */
  algorithm: LimitAlgorithm;
  /** Reads an error thrown inside withPermit. Default classifyCallError (429/503/529/timeouts drop). */
  classify?: (error: unknown) => CallOutcome;
  /** Limit changes kept for the chart. Default 600. */
  historySize?: number;
}

/** A permit of an adaptive semaphore: release says how the call went, so the limit can learn from it. */
export interface AdaptivePermit extends Permit {
  /** Gives the permits back; `outcome` defaults to success. Calling it again does nothing. */
  release(outcome?: CallOutcome): void;
}

class AdaptivePermitHandle implements AdaptivePermit {
  constructor(
    private readonly owner: AdaptiveSemaphore,
    private readonly inner: Permit,
    readonly startedAt: number,
    readonly inFlight: number,
  ) {}

  get weight(): number {
    return this.inner.weight;
  }
  get label(): string {
    return this.inner.label;
  }
  get released(): boolean {
    return this.inner.released;
  }

  release(outcome: CallOutcome = 'success'): void {
    if (this.inner.released) return;
    this.owner.finish(this, outcome);
    this.inner.release();
  }
}

/**
 * A Semaphore whose permit count is found, not chosen: every finished call is a sample (latency, and
 * whether the downstream pushed back), the algorithm turns samples into a limit between min and max,
 * and the permits follow its floor. Same acquire/withPermit/tryAcquire/AbortSignal semantics as
 * Semaphore — it is one inside — and the same snapshot plus `adaptive` (the limit and its history).
 *
 * The limit is updated before the finished call's permit is returned, so a lowered limit is in force
 * before the freed permit could be handed on: nothing is admitted above the current limit. Holders
 * above a freshly lowered limit keep their permits and the queue waits until in-use falls below it.
 */
export class AdaptiveSemaphore {
  readonly name: string;
  readonly algorithm: LimitAlgorithm;
  private readonly inner: Semaphore;
  private readonly clock: Clock;
  private readonly classify: (error: unknown) => CallOutcome;
  private readonly history: LimitHistory;
  private samples = 0;
  private drops = 0;

  constructor(options: AdaptiveSemaphoreOptions) {
    this.name = options.name;
    this.algorithm = options.algorithm;
    this.clock = options.clock ?? systemClock;
    this.classify = options.classify ?? classifyCallError;
    this.history = new LimitHistory(options.historySize ?? 600);
    const { algorithm: _algorithm, classify: _classify, historySize: _historySize, ...semaphoreOptions } = options;
    this.inner = new Semaphore({ ...semaphoreOptions, clock: this.clock, permits: this.permitsFor(this.algorithm.limit) });
    this.history.record(this.clock.now(), this.inner.permits);
  }

  /** The current limit. */
  get permits(): number {
    return this.inner.permits;
  }
  get inUse(): number {
    return this.inner.inUse;
  }
  get available(): number {
    return this.inner.available;
  }
  get waiting(): number {
    return this.inner.waiting;
  }

  tryAcquire(options?: { weight?: number; label?: string }): AdaptivePermit | null {
    const permit = this.inner.tryAcquire(options);
    return permit === null ? null : this.wrap(permit);
  }

  async acquire(options?: AcquireOptions): Promise<AdaptivePermit> {
    return this.wrap(await this.inner.acquire(options));
  }

  /**
   * Runs `fn` holding a permit. Resolving is a success (its latency a sample); a throw is read by
   * `classify` — a 429, overload or timeout lowers the limit — and passes through unchanged.
   */
  async withPermit<T>(fn: () => T | PromiseLike<T>, options?: AcquireOptions): Promise<T> {
    const permit = await this.acquire(options);
    let outcome: CallOutcome = 'ignore';
    try {
      const value = await fn();
      outcome = 'success';
      return value;
    } catch (error) {
      outcome = this.classify(error);
      throw error;
    } finally {
      permit.release(outcome);
    }
  }

  close(): void {
    this.inner.close();
  }

  snapshot(): SemaphoreSnapshot {
    return { ...this.inner.snapshot(), adaptive: this.adaptiveState() };
  }

  adaptiveState(): AdaptiveLimitData {
    const state = this.algorithm.state();
    return {
      algorithm: this.algorithm.name,
      limit: this.inner.permits,
      estimate: Math.round(this.algorithm.limit * 100) / 100,
      min: this.algorithm.min,
      max: this.algorithm.max,
      samples: this.samples,
      drops: this.drops,
      shortRttMs: state.shortRttMs,
      longRttMs: state.longRttMs,
      history: this.history.list(),
    };
  }

  /** Called once per permit by AdaptivePermitHandle.release, before the permit goes back. */
  finish(handle: AdaptivePermitHandle, outcome: CallOutcome): void {
    if (outcome === 'ignore') return;
    const now = this.clock.now();
    this.samples += 1;
    if (outcome === 'dropped') this.drops += 1;
    const estimate = this.algorithm.update({
      startedAt: handle.startedAt,
      rttMs: now - handle.startedAt,
      inFlight: handle.inFlight,
      dropped: outcome === 'dropped',
      now,
    });
    const permits = this.permitsFor(estimate);
    if (permits !== this.inner.permits) {
      this.inner.setPermits(permits);
      this.history.record(now, permits);
    }
  }

  private wrap(permit: Permit): AdaptivePermitHandle {
    return new AdaptivePermitHandle(this, permit, this.clock.now(), this.inner.inUse);
  }

  private permitsFor(estimate: number): number {
    return Math.max(this.algorithm.min, Math.floor(estimate));
  }
}
