import type { SemaphoreSnapshot } from '../../../shared/contract/concurrency';
import { systemClock, type Clock, type TimerHandle } from '../clock/clock';
import { abortErrorFor, CapacityExceededError, ClosedError, QueueFullError, TimeoutError } from './errors';
import { InvalidArgumentError, requirePositiveInteger, requireQueueBound } from './invalid-argument';
import { IntrusiveList, type ListNode } from './intrusive-list';
import { WindowedHistogram } from './latency-histogram';
import { RateMeter } from './rate-meter';
import { TimingSampler } from './timing-sampler';
import { nowReader } from './fast-now';

export interface SemaphoreOptions {
  /** Shown in snapshots and errors, e.g. `agents` or `provider.openai`. */
  name: string;
  /** How many permits exist; a caller may take several at once (`weight`). */
  permits: number;
  /** Callers allowed to queue; the next one gets QueueFullError at once. Default unbounded. */
  maxWaiting?: number;
  /** A permit held longer than this is listed as a long holder. Default 5 s. */
  longHoldThresholdMs?: number;
  /** Percentiles cover the last one to two of these windows. Default 10 s. */
  histogramWindowMs?: number;
  /**
   * Time one acquire in this many for the wait/hold histograms (each timed one counts for all). Default:
   * adaptive — every acquire while the rate is low, fewer as it climbs (see TimingSampler).
   */
  timingSampleEvery?: number;
  clock?: Clock;
}

export interface AcquireOptions {
  /** Cancels the wait; the caller gets AbortError and leaves no trace in the queue. */
  signal?: AbortSignal;
  /** Gives up waiting after this long with TimeoutError. 0 or absent = wait as long as it takes. */
  timeoutMs?: number;
  /** Who holds the permit, shown in long holders (e.g. `rag-answer#42`). */
  label?: string;
  /** Permits to take at once. Default 1; more than `permits` is rejected at once. */
  weight?: number;
}

/** Proof of holding permits. `release()` gives them back; calling it again does nothing. */
export interface Permit {
  readonly weight: number;
  readonly label: string;
  readonly released: boolean;
  release(): void;
}

/** acquiredAt of a holder whose acquisition was not timed; the next snapshot stamps it. */
const UNSTAMPED = -1;

/**
 * One caller's claim on permits. It is first the queue node while the caller waits (if it has to), then
 * the release handle once granted: one allocation per acquire, and the same links serve the wait queue
 * and the holder list (a handle is never in both).
 */
class PermitHandle implements Permit, ListNode<PermitHandle> {
  prev: PermitHandle | null = null;
  next: PermitHandle | null = null;
  linked = false;
  released = false;
  /** Whether this acquire is one of the sampled ones (its wait and hold are recorded). */
  timed = false;
  acquiredAt = UNSTAMPED;
  // While waiting only:
  enqueuedAt = 0;
  timeoutMs = 0;
  resolve: ((permit: Permit) => void) | null = null;
  reject: ((error: unknown) => void) | null = null;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | null = null;
  timer: TimerHandle | null = null;

  constructor(
    private readonly owner: Semaphore,
    readonly weight: number,
    readonly label: string,
  ) {}

  release(): void {
    if (this.released || this.resolve !== null) return; // twice, or never granted: nothing to give back
    this.released = true;
    this.owner.returnPermit(this);
  }
}

const MAX_LONG_HOLDERS_LISTED = 10;

/**
 * A counting semaphore: `permits` units shared by async callers, granted strictly first-come first-served
 * (a large request at the head is not overtaken by smaller ones behind it, so it cannot starve).
 *
 * Hot path: when a permit is free and nobody waits, acquire is a counter bump and one small object (the
 * release handle); only contended callers allocate a promise. Waiters sit in an intrusive list, so abort
 * and timeout remove them in O(1) and leave no trace. Reading the clock costs more than the rest of an
 * acquire, so wait and hold times are taken from a sample of acquires (all of them at low rates), and
 * holders that were not timed get their start stamped by the next snapshot (ages then read up to one
 * snapshot interval short, which is fine for spotting a permit held for seconds).
 */
export class Semaphore {
  readonly name: string;
  private permitCount: number;
  private readonly maxWaiting: number;
  private readonly longHoldThresholdMs: number;
  private readonly clock: Clock;
  private readonly now: () => number;
  private readonly waiters = new IntrusiveList<PermitHandle>();
  private readonly holders = new IntrusiveList<PermitHandle>();
  private readonly waitHistogram: WindowedHistogram;
  private readonly holdHistogram: WindowedHistogram;
  private readonly acquireRate = new RateMeter();
  private readonly sampler: TimingSampler;
  private used = 0;
  private waitingWeightTotal = 0;
  private closed = false;
  private stats = { acquired: 0, timeouts: 0, aborts: 0, rejected: 0, maxWaitingSeen: 0 };

  constructor(options: SemaphoreOptions) {
    this.name = options.name;
    this.permitCount = requirePositiveInteger(`Semaphore ${options.name}: permits`, options.permits);
    this.maxWaiting = requireQueueBound(`Semaphore ${options.name}: maxWaiting`, options.maxWaiting ?? Number.POSITIVE_INFINITY);
    this.longHoldThresholdMs = options.longHoldThresholdMs ?? 5000;
    this.clock = options.clock ?? systemClock;
    this.now = nowReader(this.clock);
    this.sampler = new TimingSampler(options.timingSampleEvery);
    const windowMs = options.histogramWindowMs ?? 10_000;
    const now = this.now();
    this.waitHistogram = new WindowedHistogram(windowMs, now);
    this.holdHistogram = new WindowedHistogram(windowMs, now);
  }

  get permits(): number {
    return this.permitCount;
  }

  get inUse(): number {
    return this.used;
  }

  get available(): number {
    return this.permitCount - this.used;
  }

  get waiting(): number {
    return this.waiters.size;
  }

  /** Takes permits only if that can happen now without overtaking a waiter; null otherwise. */
  tryAcquire(options?: { weight?: number; label?: string }): Permit | null {
    const weight = options?.weight ?? 1;
    if (weight !== 1) this.checkWeight(weight);
    if (this.closed || this.waiters.head !== null || this.used + weight > this.permitCount) return null;
    return this.grantNow(weight, options?.label);
  }

  /** Resolves with a Permit once `weight` permits are free and every earlier caller was served. */
  acquire(options?: AcquireOptions): Promise<Permit> {
    if (
      this.waiters.head === null &&
      this.used < this.permitCount &&
      !this.closed &&
      (options === undefined || (options.weight === undefined && options.signal?.aborted !== true))
    ) {
      return Promise.resolve(this.grantNow(1, options?.label));
    }
    return this.acquireSlow(options?.weight ?? 1, options);
  }

  /**
   * Runs `fn` holding permits and releases them however it ends (value, throw, rejection). The result
   * (or error) of `fn` passes through unchanged.
   */
  withPermit<T>(fn: () => T | PromiseLike<T>, options?: AcquireOptions): Promise<T> {
    if (options === undefined && this.waiters.head === null && this.used < this.permitCount && !this.closed) {
      return runHolding(this.grantNow(1, undefined), fn);
    }
    return this.withPermitQueued(fn, options);
  }

  /** Changes the number of permits; waiters that now fit are served. Holders above a lowered limit keep theirs. */
  setPermits(permits: number): void {
    this.permitCount = requirePositiveInteger(`Semaphore ${this.name}: permits`, permits);
    this.drain(-1);
  }

  /** Rejects every waiter and every later acquire with ClosedError. Held permits can still be released. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let waiter = this.waiters.shift(); waiter !== null; waiter = this.waiters.shift()) {
      const reject = waiter.reject!;
      this.settleWaiter(waiter);
      reject(new ClosedError(`Semaphore ${this.name}`));
    }
  }

  snapshot(): SemaphoreSnapshot {
    const now = this.now();
    const longHolders: SemaphoreSnapshot['longHolders'] = [];
    let longHolderCount = 0;
    // Holders are in acquisition order and stamps only grow along the list; at most `permits` of them.
    for (let holder = this.holders.head; holder !== null; holder = holder.next) {
      if (holder.acquiredAt === UNSTAMPED) holder.acquiredAt = now;
      const ageMs = now - holder.acquiredAt;
      if (ageMs < this.longHoldThresholdMs) continue;
      longHolderCount += 1;
      if (longHolders.length < MAX_LONG_HOLDERS_LISTED) {
        longHolders.push({ label: holder.label || '(unlabelled)', weight: holder.weight, ageMs: Math.round(ageMs) });
      }
    }
    const acquiredPerSec = this.acquireRate.read(now, this.stats.acquired);
    // The first snapshot has no span to measure over and reads 0/s: adapting to that would time every
    // operation of a busy semaphore until the next snapshot (seen as a slowdown in the attach bench).
    if (this.acquireRate.measured) this.sampler.adapt(acquiredPerSec);
    return {
      name: this.name,
      permits: this.permitCount,
      inUse: this.used,
      available: Math.max(0, this.permitCount - this.used),
      waiting: this.waiters.size,
      waitingWeight: this.waitingWeightTotal,
      maxWaitingSeen: this.stats.maxWaitingSeen,
      maxWaiting: Number.isFinite(this.maxWaiting) ? this.maxWaiting : null,
      acquired: this.stats.acquired,
      acquiredPerSec,
      timeouts: this.stats.timeouts,
      aborts: this.stats.aborts,
      rejected: this.stats.rejected,
      waitMs: this.waitHistogram.percentiles(now),
      holdMs: this.holdHistogram.percentiles(now),
      longHoldThresholdMs: this.longHoldThresholdMs,
      longHolders,
      longHolderCount,
    };
  }

  /** Called by PermitHandle.release exactly once per permit. */
  returnPermit(handle: PermitHandle): void {
    this.holders.remove(handle);
    this.used -= handle.weight;
    let now = -1;
    if (handle.timed) {
      now = this.now();
      this.holdHistogram.recordWeighted(now - handle.acquiredAt, now, this.sampler.weight);
    }
    if (this.waiters.head !== null) this.drain(now);
  }

  /** An async function rather than acquire().then(...): returning a promise from a then-callback costs two extra ticks. */
  private async withPermitQueued<T>(fn: () => T | PromiseLike<T>, options: AcquireOptions | undefined): Promise<T> {
    const permit = await this.acquire(options);
    try {
      return await fn();
    } finally {
      permit.release();
    }
  }

  private grantNow(weight: number, label: string | undefined): PermitHandle {
    this.used += weight;
    this.stats.acquired += 1;
    this.waitHistogram.recordZero();
    const handle = new PermitHandle(this, weight, label ?? '');
    if (this.sampler.take()) {
      handle.timed = true;
      handle.acquiredAt = this.now();
    }
    this.holders.push(handle);
    return handle;
  }

  private acquireSlow(weight: number, options: AcquireOptions | undefined): Promise<Permit> {
    try {
      this.checkWeight(weight);
    } catch (error) {
      return Promise.reject(error);
    }
    const signal = options?.signal;
    if (this.closed) return Promise.reject(new ClosedError(`Semaphore ${this.name}`));
    if (signal?.aborted) {
      this.stats.aborts += 1;
      return Promise.reject(abortErrorFor(`Acquiring ${this.name}`, signal, options?.timeoutMs ?? 0));
    }
    if (this.waiters.head === null && this.used + weight <= this.permitCount) {
      return Promise.resolve(this.grantNow(weight, options?.label));
    }
    if (this.waiters.size >= this.maxWaiting) {
      this.stats.rejected += 1;
      return Promise.reject(new QueueFullError(`Semaphore ${this.name}`, this.maxWaiting));
    }
    const timeoutMs = options?.timeoutMs ?? 0;
    const waiter = new PermitHandle(this, weight, options?.label ?? '');
    if (this.sampler.take()) {
      waiter.timed = true;
      waiter.enqueuedAt = this.now();
    }
    waiter.timeoutMs = timeoutMs;
    const granted = new Promise<Permit>((resolve, reject) => {
      waiter.resolve = resolve;
      waiter.reject = reject;
    });
    this.waiters.push(waiter);
    this.waitingWeightTotal += weight;
    if (this.waiters.size > this.stats.maxWaitingSeen) this.stats.maxWaitingSeen = this.waiters.size;
    if (signal) {
      waiter.signal = signal;
      waiter.onAbort = () => this.cancelWaiter(waiter, 'abort');
      signal.addEventListener('abort', waiter.onAbort, { once: true });
    }
    if (timeoutMs > 0) waiter.timer = this.clock.setTimeout(() => this.cancelWaiter(waiter, 'timeout'), timeoutMs);
    return granted;
  }

  private cancelWaiter(waiter: PermitHandle, why: 'abort' | 'timeout'): void {
    if (!this.waiters.remove(waiter)) return; // already granted or cancelled
    const reject = waiter.reject!;
    const signal = waiter.signal;
    this.settleWaiter(waiter);
    if (why === 'timeout') {
      this.stats.timeouts += 1;
      reject(new TimeoutError(`Acquiring ${this.name}`, waiter.timeoutMs));
    } else {
      this.stats.aborts += 1;
      reject(abortErrorFor(`Acquiring ${this.name}`, signal!, waiter.timeoutMs));
    }
    // The cancelled waiter may have been the head that blocked smaller requests behind it.
    this.drain(-1);
  }

  /** Detaches a waiter that left the queue from its timer, its signal and the queued-weight total. */
  private settleWaiter(waiter: PermitHandle): void {
    this.waitingWeightTotal -= waiter.weight;
    if (waiter.timer !== null) {
      this.clock.clearTimeout(waiter.timer);
      waiter.timer = null;
    }
    if (waiter.onAbort !== null) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.onAbort = null;
      waiter.signal = undefined;
    }
    waiter.resolve = null;
    waiter.reject = null;
  }

  /** Hands free permits to waiters in order, stopping at the first that does not fit. `knownNow` < 0: not read yet. */
  private drain(knownNow: number): void {
    let now = knownNow;
    for (let head = this.waiters.head; head !== null && head.weight <= this.permitCount - this.used; head = this.waiters.head) {
      this.waiters.shift();
      const resolve = head.resolve!;
      this.settleWaiter(head);
      this.used += head.weight;
      this.stats.acquired += 1;
      if (head.timed) {
        if (now < 0) now = this.now();
        this.waitHistogram.recordWeighted(now - head.enqueuedAt, now, this.sampler.weight);
        head.acquiredAt = now;
      }
      this.holders.push(head);
      resolve(head);
    }
  }

  private checkWeight(weight: number): void {
    if (!Number.isInteger(weight) || weight < 1) {
      throw new InvalidArgumentError(`Semaphore ${this.name}: weight`, `must be a whole number ≥ 1, got ${String(weight)}.`);
    }
    if (weight > this.permitCount) throw new CapacityExceededError(`Semaphore ${this.name}`, weight, this.permitCount, 'permits');
  }
}

async function runHolding<T>(permit: Permit, fn: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    permit.release();
  }
}
