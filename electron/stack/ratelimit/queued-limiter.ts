import type { LimiterBucket, LimiterKind, LimiterSnapshot } from '../../../shared/contract/concurrency';
import { systemClock, type Clock, type TimerHandle } from '../clock/clock';
import { abortErrorFor, CapacityExceededError, ClosedError, QueueFullError, TimeoutError } from '../concurrency/errors';
import { InvalidArgumentError, requireQueueBound } from '../concurrency/invalid-argument';
import { IntrusiveList, type ListNode } from '../concurrency/intrusive-list';
import { WindowedHistogram } from '../concurrency/latency-histogram';
import { RateMeter } from '../concurrency/rate-meter';
import { nowReader } from '../concurrency/fast-now';

export interface QueuedLimiterOptions {
  name: string;
  clock?: Clock;
  /** Callers allowed to wait; the next gets QueueFullError at once. Default unbounded. */
  maxQueued?: number;
  /** What one unit is, for snapshots: `requests`, `tokens`… */
  unit?: string;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Gives up with TimeoutError after this long; nothing is taken. 0 or absent = no timeout. */
  timeoutMs?: number;
}

interface Waiter extends ListNode<Waiter> {
  readonly cost: number;
  readonly enqueuedAt: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  resolve: () => void;
  reject: (error: unknown) => void;
  onAbort: (() => void) | null;
  timer: TimerHandle | null;
}

/** setTimeout turns longer delays into 1 ms; a longer wait just re-arms after this. */
const MAX_TIMER_MS = 2_147_483_647;

/** One resolved promise shared by every uncontended wait(): admitting allocates nothing. */
const ADMITTED: Promise<void> = Promise.resolve();

/**
 * What token buckets and sliding windows share: strict FIFO waiting (nobody overtakes a queued caller,
 * so a heavy request cannot starve), one timer for the head of the queue only, O(1) removal on abort or
 * timeout, and the counters a snapshot shows. Subclasses supply the admission rule.
 */
export abstract class QueuedLimiter {
  readonly name: string;
  readonly unit: string;
  protected readonly clock: Clock;
  /** Hot-path clock read (see nowReader). */
  protected readonly now: () => number;
  private readonly maxQueued: number;
  private readonly waiters = new IntrusiveList<Waiter>();
  private readonly waitHistogram: WindowedHistogram;
  private readonly admitRate = new RateMeter();
  private timer: TimerHandle | null = null;
  private closed = false;
  protected admittedCount = 0;
  private waitedCount = 0;
  private rejectedCount = 0;
  private maxQueuedSeen = 0;

  constructor(options: QueuedLimiterOptions) {
    this.name = options.name;
    this.unit = options.unit ?? 'requests';
    this.clock = options.clock ?? systemClock;
    this.now = nowReader(this.clock);
    this.maxQueued = requireQueueBound(`${options.name}: maxQueued`, options.maxQueued ?? Number.POSITIVE_INFINITY);
    this.waitHistogram = new WindowedHistogram(10_000, this.now());
  }

  abstract readonly kind: LimiterKind;
  /** The most one admission can ever cost; more is rejected with CapacityExceededError. */
  abstract get capacity(): number;
  /** Takes `cost` if the rule allows it at `now`. */
  protected abstract consumeIfAvailable(cost: number, now: number): boolean;
  /** How long until `cost` could be taken, assuming nothing else is taken meanwhile. */
  protected abstract msUntilAvailable(cost: number, now: number): number;
  protected abstract bucketsSnapshot(now: number): LimiterBucket[];

  get queued(): number {
    return this.waiters.size;
  }

  /** Takes `cost` now if allowed and nobody is queued ahead; never waits. */
  tryTake(cost = 1): boolean {
    this.checkCost(cost);
    if (this.waiters.head !== null || this.closed) return false;
    if (!this.consumeIfAvailable(cost, this.now())) return false;
    this.admittedCount += 1;
    return true;
  }

  /** Resolves once `cost` has been taken, in arrival order. Rejects at once if `cost` > capacity. */
  wait(cost = 1, options?: WaitOptions): Promise<void> {
    if (this.waiters.head === null && !this.closed && cost > 0 && cost <= this.capacity && options?.signal?.aborted !== true) {
      if (this.consumeIfAvailable(cost, this.now())) {
        this.admittedCount += 1;
        this.waitHistogram.recordZero();
        return ADMITTED;
      }
    }
    return this.waitSlow(cost, options);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer();
    for (let waiter = this.waiters.shift(); waiter !== null; waiter = this.waiters.shift()) {
      this.detach(waiter);
      waiter.reject(new ClosedError(this.name));
    }
  }

  snapshot(): LimiterSnapshot {
    const now = this.now();
    return {
      name: this.name,
      kind: this.kind,
      buckets: this.bucketsSnapshot(now),
      admitted: this.admittedCount,
      admittedPerSec: this.admitRate.read(now, this.admittedCount),
      rejected: this.rejectedCount,
      queued: this.waiters.size,
      maxQueuedSeen: this.maxQueuedSeen,
      waited: this.waitedCount,
      waitMs: this.waitHistogram.percentiles(now),
      http429: 0,
      http529: 0,
      retries: 0,
      nextResetAt: null,
      pausedUntil: null,
      pauseReason: null,
      pauses: 0,
      rampFactor: null,
      lastError: null,
    };
  }

  /** Subclasses call this when capacity appears outside the normal refill (refund, new rate). */
  protected capacityChanged(): void {
    if (this.waiters.head !== null) this.pump();
  }

  private waitSlow(cost: number, options: WaitOptions | undefined): Promise<void> {
    try {
      this.checkCost(cost);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closed) return Promise.reject(new ClosedError(this.name));
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs ?? 0;
    if (signal?.aborted) return Promise.reject(abortErrorFor(`Waiting for ${this.name}`, signal, timeoutMs));
    if (this.waiters.size >= this.maxQueued) {
      this.rejectedCount += 1;
      return Promise.reject(new QueueFullError(this.name, this.maxQueued));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        prev: null,
        next: null,
        linked: false,
        cost,
        enqueuedAt: this.now(),
        timeoutMs,
        signal,
        resolve,
        reject,
        onAbort: null,
        timer: null,
      };
      this.waiters.push(waiter);
      if (this.waiters.size > this.maxQueuedSeen) this.maxQueuedSeen = this.waiters.size;
      if (signal) {
        waiter.onAbort = () => this.cancel(waiter, abortErrorFor(`Waiting for ${this.name}`, signal, timeoutMs));
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (timeoutMs > 0) {
        waiter.timer = this.clock.setTimeout(() => this.cancel(waiter, new TimeoutError(`Waiting for ${this.name}`, timeoutMs)), timeoutMs);
      }
      if (this.waiters.head === waiter) this.pump();
    });
  }

  private cancel(waiter: Waiter, error: unknown): void {
    const wasHead = this.waiters.head === waiter;
    if (!this.waiters.remove(waiter)) return;
    this.detach(waiter);
    waiter.reject(error);
    if (wasHead) {
      this.cancelTimer();
      this.pump();
    }
  }

  /** Admits queued callers in order while the rule allows, then sleeps until the head could be admitted. */
  private pump(): void {
    this.cancelTimer();
    const now = this.now();
    for (let head = this.waiters.head; head !== null; head = this.waiters.head) {
      if (!this.consumeIfAvailable(head.cost, now)) {
        const ms = this.msUntilAvailable(head.cost, now);
        // Round up: waking a hair early would only find the tokens missing and sleep again.
        this.timer = this.clock.setTimeout(() => {
          this.timer = null;
          this.pump();
        }, Math.min(MAX_TIMER_MS, Math.max(1, Math.ceil(ms))));
        return;
      }
      this.waiters.shift();
      this.detach(head);
      this.admittedCount += 1;
      this.waitedCount += 1;
      this.waitHistogram.record(now - head.enqueuedAt, now);
      head.resolve();
    }
  }

  private detach(waiter: Waiter): void {
    if (waiter.timer !== null) this.clock.clearTimeout(waiter.timer);
    if (waiter.onAbort !== null) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.timer = null;
    waiter.onAbort = null;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private checkCost(cost: number): void {
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0) {
      throw new InvalidArgumentError(`${this.name}: cost`, `must be a finite number > 0, got ${String(cost)}.`);
    }
    if (cost > this.capacity) {
      this.rejectedCount += 1;
      throw new CapacityExceededError(this.name, cost, this.capacity, this.unit);
    }
  }
}
