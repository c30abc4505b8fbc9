import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import type { WorkerPoolSnapshot } from '../../../../shared/contract/concurrency';
import { systemClock, type Clock, type TimerHandle } from '../../clock/clock';
import { abortErrorFor, ClosedError, QueueFullError, TimeoutError } from '../errors';
import { requirePositiveInteger, requireQueueBound } from '../invalid-argument';
import { IntrusiveList, type ListNode } from '../intrusive-list';
import { WindowedHistogram } from '../latency-histogram';
import { RateMeter } from '../rate-meter';
import { WorkerCrashedError, WorkerTaskError } from './worker-errors';
import type { FromWorker, ToWorker } from './worker-protocol';

export interface WorkerPoolOptions {
  name: string;
  /**
   * The task module: `export const tasks = { name: (payload, { signal }) => result }`. A .ts file is
   * loaded through tsx (source checkout, tests); a bundled build passes the compiled .js (see README of
   * this folder in the header comment below).
   */
  module: string | URL;
  /** Worker threads at most. Default: cores − 1 (at least 1). */
  size?: number;
  /** Tasks allowed to wait for a worker; the next gets QueueFullError. Default size × 64. */
  maxQueue?: number;
  /** After abort/timeout, how long a running task may take to stop before its worker is terminated. Default 1 s. */
  abortGraceMs?: number;
  /** A task running longer than this is listed as long-running. Default 5 s. */
  longRunThresholdMs?: number;
  resourceLimits?: ResourceLimits;
  /** Overrides the bootstrap script (a bundled build copies worker-bootstrap.mjs next to its output). */
  bootstrapUrl?: URL;
  clock?: Clock;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Fails the task with TimeoutError after this long, queued or running. 0 = none. */
  timeoutMs?: number;
  label?: string;
  /** ArrayBuffers etc. to move to the worker instead of copying. */
  transfer?: readonly TransferListItem[];
}

interface Task extends ListNode<Task> {
  readonly id: number;
  readonly name: string;
  readonly payload: unknown;
  readonly label: string;
  readonly enqueuedAt: number;
  readonly transfer: readonly TransferListItem[];
  startedAt: number;
  resolve: ((value: unknown) => void) | null;
  reject: ((error: unknown) => void) | null;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
  timer: TimerHandle | null;
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  task: Task | null;
  /** Set when the running task was cancelled: the worker is busy until it stops or is terminated. */
  stopping: TimerHandle | null;
}

const MAX_LONG_RUNNING_LISTED = 10;

/**
 * A bounded pool of worker_threads for CPU work that would otherwise stall the event loop (chunking,
 * embedding, parsing). Bounded in both directions: at most `size` threads, at most `maxQueue` waiting
 * tasks (then QueueFullError, never unbounded memory). Every task can be cancelled by its AbortSignal
 * or timeout, queued (removed at once) or running (the worker's signal fires; a task that ignores it is
 * stopped by terminating its worker after `abortGraceMs`). A worker that crashes fails only its own task
 * with WorkerCrashedError and is replaced.
 *
 * Loading: the pool starts `worker-bootstrap.mjs` (plain JS) which imports the task module — via tsx when
 * it is .ts, so the same code runs under `tsx` and vitest. A bundled build must emit the task module as
 * its own entry (.js) and ship worker-bootstrap.mjs beside the bundle (or pass `bootstrapUrl`).
 */
export class WorkerPool {
  readonly name: string;
  readonly size: number;
  private readonly maxQueue: number;
  private readonly moduleUrl: string;
  private readonly bootstrapUrl: URL;
  private readonly clock: Clock;
  private readonly options: WorkerPoolOptions;
  private readonly workers = new Set<PoolWorker>();
  private readonly queue = new IntrusiveList<Task>();
  private readonly waitHistogram: WindowedHistogram;
  private readonly runHistogram: WindowedHistogram;
  private readonly completedRate = new RateMeter();
  private nextId = 1;
  private closed = false;
  private stats = { completed: 0, failed: 0, aborted: 0, timeouts: 0, rejected: 0, crashed: 0, maxQueuedSeen: 0 };

  constructor(options: WorkerPoolOptions) {
    this.options = options;
    this.name = options.name;
    this.size = requirePositiveInteger(`WorkerPool ${options.name}: size`, options.size ?? Math.max(1, availableParallelism() - 1));
    this.maxQueue = requireQueueBound(`WorkerPool ${options.name}: maxQueue`, options.maxQueue ?? this.size * 64);
    this.moduleUrl = compiledSiblingIfMissing(String(options.module instanceof URL ? options.module : pathToFileURL(resolve(options.module))));
    this.bootstrapUrl = options.bootstrapUrl ?? new URL('./worker-bootstrap.mjs', import.meta.url);
    this.clock = options.clock ?? systemClock;
    const now = this.clock.now();
    this.waitHistogram = new WindowedHistogram(10_000, now);
    this.runHistogram = new WindowedHistogram(10_000, now);
  }

  /** Runs `task` from the module with `payload` in a worker; resolves with what it returned. */
  run<R = unknown>(task: string, payload: unknown, options: RunOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new ClosedError(`WorkerPool ${this.name}`));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(abortErrorFor(`Task ${task} in ${this.name}`, signal, options.timeoutMs ?? 0));
    if (this.queue.size >= this.maxQueue + this.freeSlots()) {
      this.stats.rejected += 1;
      return Promise.reject(new QueueFullError(`WorkerPool ${this.name}`, this.maxQueue));
    }
    const entry: Task = {
      prev: null,
      next: null,
      linked: false,
      id: this.nextId++,
      name: task,
      payload,
      label: options.label ?? task,
      enqueuedAt: this.clock.now(),
      transfer: options.transfer ?? [],
      startedAt: 0,
      resolve: null,
      reject: null,
      signal,
      onAbort: null,
      timer: null,
    };
    const result = new Promise<R>((resolve, reject) => {
      entry.resolve = resolve as (value: unknown) => void;
      entry.reject = reject;
    });
    if (signal) {
      entry.onAbort = () => this.cancel(entry, abortErrorFor(`Task ${task} in ${this.name}`, signal, options.timeoutMs ?? 0));
      signal.addEventListener('abort', entry.onAbort, { once: true });
    }
    const timeoutMs = options.timeoutMs ?? 0;
    if (timeoutMs > 0) entry.timer = this.clock.setTimeout(() => this.cancel(entry, new TimeoutError(`Task ${task} in ${this.name}`, timeoutMs)), timeoutMs);
    this.queue.push(entry);
    if (this.queue.size > this.stats.maxQueuedSeen) this.stats.maxQueuedSeen = this.queue.size;
    this.dispatch();
    return result;
  }

  snapshot(): WorkerPoolSnapshot {
    const now = this.clock.now();
    let busy = 0;
    const longRunning: WorkerPoolSnapshot['longRunning'] = [];
    const threshold = this.options.longRunThresholdMs ?? 5000;
    for (const pooled of this.workers) {
      if (pooled.task === null && pooled.stopping === null) continue;
      busy += 1;
      const task = pooled.task;
      if (task && now - task.startedAt >= threshold && longRunning.length < MAX_LONG_RUNNING_LISTED) {
        longRunning.push({ label: task.label, weight: 1, ageMs: Math.round(now - task.startedAt) });
      }
    }
    return {
      name: this.name,
      size: this.size,
      live: this.workers.size,
      busy,
      queued: this.queue.size,
      maxQueue: this.maxQueue,
      maxQueuedSeen: this.stats.maxQueuedSeen,
      completed: this.stats.completed,
      completedPerSec: this.completedRate.read(now, this.stats.completed),
      failed: this.stats.failed,
      aborted: this.stats.aborted,
      timeouts: this.stats.timeouts,
      rejected: this.stats.rejected,
      crashed: this.stats.crashed,
      waitMs: this.waitHistogram.percentiles(now),
      runMs: this.runHistogram.percentiles(now),
      longRunning,
    };
  }

  /** Rejects queued and running tasks with ClosedError and terminates every worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (let task = this.queue.shift(); task !== null; task = this.queue.shift()) this.settle(task, new ClosedError(`WorkerPool ${this.name}`));
    const exits: Promise<number>[] = [];
    for (const pooled of this.workers) {
      if (pooled.task) this.settle(pooled.task, new ClosedError(`WorkerPool ${this.name}`));
      if (pooled.stopping) this.clock.clearTimeout(pooled.stopping);
      exits.push(pooled.worker.terminate());
    }
    this.workers.clear();
    await Promise.allSettled(exits);
  }

  /** Threads that could take a task now or once started: queued tasks up to this many are not "waiting". */
  private freeSlots(): number {
    let occupied = 0;
    for (const pooled of this.workers) if (pooled.task !== null || pooled.stopping !== null) occupied += 1;
    return this.size - occupied;
  }

  /** Hands queued tasks to idle workers, starting workers up to `size` when there is work. */
  private dispatch(): void {
    if (this.closed) return;
    for (const pooled of this.workers) {
      if (this.queue.head === null) return;
      if (pooled.ready && pooled.task === null && pooled.stopping === null) this.start(pooled, this.queue.shift()!);
    }
    let starting = 0;
    for (const pooled of this.workers) if (!pooled.ready) starting += 1;
    while (this.workers.size < this.size && this.queue.size > starting) {
      this.spawn();
      starting += 1;
    }
  }

  private start(pooled: PoolWorker, task: Task): void {
    const now = this.clock.now();
    task.startedAt = now;
    pooled.task = task;
    pooled.worker.ref(); // a running task keeps the process alive; an idle pool does not
    this.waitHistogram.record(now - task.enqueuedAt, now);
    const message: ToWorker = { type: 'run', id: task.id, task: task.name, payload: task.payload };
    try {
      pooled.worker.postMessage(message, [...task.transfer]);
    } catch (error) {
      // The payload could not be cloned: the task fails, the worker stays.
      pooled.task = null;
      pooled.worker.unref();
      this.stats.failed += 1;
      this.settle(task, new WorkerTaskError(this.name, task.name, { name: 'DataCloneError', message: describe(error) }));
      this.dispatch();
    }
  }

  private spawn(): void {
    const worker = new Worker(this.bootstrapUrl, {
      workerData: { moduleUrl: this.moduleUrl },
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    worker.unref();
    const pooled: PoolWorker = { worker, ready: false, task: null, stopping: null };
    this.workers.add(pooled);
    worker.on('message', (message: FromWorker) => this.onMessage(pooled, message));
    worker.on('error', (error) => this.onExit(pooled, `uncaught ${describe(error)}`, error));
    worker.on('exit', (code) => this.onExit(pooled, `exited with code ${code}`));
  }

  private onMessage(pooled: PoolWorker, message: FromWorker): void {
    if (message.type === 'ready') {
      pooled.ready = true;
      this.dispatch();
      return;
    }
    const task = pooled.task;
    if (pooled.stopping) {
      // A cancelled task finished on its own: the worker is reusable, the (already rejected) result dropped.
      this.clock.clearTimeout(pooled.stopping);
      pooled.stopping = null;
    }
    pooled.task = null;
    pooled.worker.unref();
    if (task && task.id === message.id && task.resolve) {
      const now = this.clock.now();
      this.runHistogram.record(now - task.startedAt, now);
      if (message.ok) {
        this.stats.completed += 1;
        this.settle(task, null, message.result);
      } else {
        this.stats.failed += 1;
        this.settle(task, new WorkerTaskError(this.name, task.name, message.error));
      }
    }
    this.dispatch();
  }

  /** A worker died ('error' is followed by 'exit'; only the first counts). */
  private onExit(pooled: PoolWorker, detail: string, cause?: unknown): void {
    if (!this.workers.delete(pooled)) return;
    if (pooled.stopping) this.clock.clearTimeout(pooled.stopping);
    const task = pooled.task;
    const terminatedOnPurpose = pooled.stopping !== null || this.closed;
    if (!terminatedOnPurpose) this.stats.crashed += 1;
    if (task?.resolve) {
      this.stats.failed += 1;
      this.settle(task, new WorkerCrashedError(this.name, task.name, detail, cause));
    } else if (!pooled.ready && !terminatedOnPurpose && this.queue.head) {
      // The module failed to load: fail the next task with the reason instead of respawning forever.
      const next = this.queue.shift()!;
      this.stats.failed += 1;
      this.settle(next, new WorkerCrashedError(this.name, next.name, `failed to start: ${detail}`, cause));
    }
    this.dispatch();
  }

  /** Abort or timeout: a queued task leaves the queue; a running one is told to stop, then its worker is terminated. */
  private cancel(task: Task, error: unknown): void {
    if (!task.resolve) return;
    if (error instanceof TimeoutError) this.stats.timeouts += 1;
    else this.stats.aborted += 1;
    if (this.queue.remove(task)) {
      this.settle(task, error);
      return;
    }
    for (const pooled of this.workers) {
      if (pooled.task !== task) continue;
      const message: ToWorker = { type: 'abort', id: task.id, reason: error instanceof Error ? error.message : String(error) };
      pooled.worker.postMessage(message);
      pooled.stopping = this.clock.setTimeout(() => {
        // The task ignored its signal: stop the thread (the exit handler spawns a replacement on demand).
        void pooled.worker.terminate();
      }, this.options.abortGraceMs ?? 1000);
    }
    this.settle(task, error);
  }

  private settle(task: Task, error: unknown, value?: unknown): void {
    const { resolve, reject } = task;
    if (task.timer) this.clock.clearTimeout(task.timer);
    if (task.onAbort) task.signal?.removeEventListener('abort', task.onAbort);
    task.timer = null;
    task.onAbort = null;
    task.resolve = null;
    task.reject = null;
    if (error === null) resolve?.(value);
    else reject?.(error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Task modules are named as `.ts` beside their users. In a bundled build (out/main, out/cli) the source
 * is gone and scripts/build.js emits the module as `.js` next to the bundle: use that one.
 */
function compiledSiblingIfMissing(moduleUrl: string): string {
  if (!moduleUrl.startsWith('file:') || !/\.ts$/.test(moduleUrl)) return moduleUrl;
  if (existsSync(fileURLToPath(moduleUrl))) return moduleUrl;
  const compiled = moduleUrl.replace(/\.ts$/, '.js');
  return existsSync(fileURLToPath(compiled)) ? compiled : moduleUrl;
}
