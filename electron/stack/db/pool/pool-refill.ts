import type { PoolRefill } from '../../../../shared/contract/pool';
import type { Clock, TimerHandle } from '../../clock/clock';
import type { Logger } from '../../log/logger';
import { classifyPgError } from '../pg-error';

/** What the refiller needs from a pool: its bounds, its size, and a way to open clients. */
export interface RefillablePool {
  readonly min: number;
  readonly max: number;
  /** Clients open or opening. */
  total(): number;
  /** Opens up to `count` new clients (fewer when max is near) and leaves them idle; resolves with how many. Rejects with the first connect error. */
  open(count: number, signal: AbortSignal): Promise<number>;
}

export interface RefillBackoff {
  /** Wait after the first failed attempt; doubles with each failure after it. */
  readonly initialMs: number;
  readonly maxMs: number;
}

export interface PoolRefillerOptions {
  pool: RefillablePool;
  clock: Clock;
  log: Logger;
  backoff?: RefillBackoff;
  /** For the jitter on back-off waits (tests pass a constant). */
  random?: () => number;
}

export const DEFAULT_REFILL_BACKOFF: RefillBackoff = { initialMs: 250, maxMs: 10_000 };

/**
 * Successful rounds in one go before the refiller stops to breathe: a server that accepts connections
 * and ends them at once (a reaper, a proxy that cuts) must not be answered by a reconnect loop.
 */
const MAX_ROUNDS_WITHOUT_PROGRESS = 3;

/**
 * Keeps a pool at `min` open clients. node-postgres's `min` only stops idle clients from being closed;
 * it never opens one, so after the server ends our sessions (restart, pg_terminate_backend, a
 * connection reaper) a pool would stay below min until load came back. The pool calls `request()`
 * whenever it loses a client; the refiller opens the missing ones — never above max, one attempt at a
 * time. When an attempt fails it backs off (exponential with jitter, on the Clock) and the next attempt
 * opens a single client; only when that one connects do the rest follow. `stop()` ends it for good,
 * before the pool closes, so a closing pool is never refilled.
 */
export class PoolRefiller {
  private state: PoolRefill['state'] = 'at-min';
  private readonly controller = new AbortController();
  private timer: TimerHandle | null = null;
  private retryAt: number | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private lastError: string | null = null;
  private belowMinSince: number | null = null;
  private opened = 0;
  private readonly backoff: RefillBackoff;
  private readonly random: () => number;

  constructor(private readonly options: PoolRefillerOptions) {
    this.backoff = options.backoff ?? DEFAULT_REFILL_BACKOFF;
    this.random = options.random ?? Math.random;
  }

  /** The pool lost a client (or may be below min): top it up now, or when the current back-off ends. */
  request(): void {
    if (this.state === 'stopped') return;
    this.noteLevel();
    // A running attempt re-reads the level when it finishes; a back-off ends on its own timer.
    if (this.state === 'refilling' || this.state === 'backing-off') return;
    this.launch();
  }

  /** Skips the rest of a back-off: the server is known to answer again (the sampler heard it, a caller connected). */
  retryNow(): void {
    if (this.state !== 'backing-off') return;
    this.clearTimer();
    this.launch();
  }

  snapshot(): PoolRefill {
    this.noteLevel();
    return {
      state: this.state,
      missing: this.missing(),
      belowMinSince: this.belowMinSince,
      failures: this.failures,
      retryAt: this.retryAt,
      lastError: this.lastError,
      opened: this.opened,
    };
  }

  /** No refill after this; waits for nothing but the attempt's own bookkeeping (its connects are abandoned). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.clearTimer();
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }

  private missing(): number {
    const { pool } = this.options;
    return Math.max(0, Math.min(pool.min, pool.max) - pool.total());
  }

  private noteLevel(): void {
    if (this.missing() > 0) this.belowMinSince ??= this.options.clock.now();
    else this.belowMinSince = null;
  }

  private launch(): void {
    this.state = 'refilling';
    const run = this.refill().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
  }

  private async refill(): Promise<void> {
    const { pool, log } = this.options;
    const signal = this.controller.signal;
    let rounds = 0;
    for (;;) {
      if (signal.aborted) return;
      const missing = this.missing();
      this.noteLevel();
      if (missing === 0) {
        this.state = 'at-min';
        this.failures = 0;
        this.lastError = null;
        return;
      }
      if (rounds >= MAX_ROUNDS_WITHOUT_PROGRESS) {
        this.fail(`opened clients did not stay open (${pool.total()} of min ${pool.min})`);
        return;
      }
      rounds += 1;
      // After a failure, one client first: a server that still refuses sees one attempt per back-off.
      const count = this.failures > 0 ? 1 : missing;
      const before = pool.total();
      let opened: number;
      try {
        opened = await pool.open(count, signal);
      } catch (error) {
        if (signal.aborted) return;
        const info = classifyPgError(error);
        this.fail(info.message.includes(info.code) ? info.message : `${info.code}: ${info.message || 'no answer'}`);
        return;
      }
      if (signal.aborted) return;
      this.opened += opened;
      if (this.failures > 0) log.info(`the pool reaches the server again; refilling to min ${pool.min}`);
      this.failures = 0;
      this.lastError = null;
      if (pool.total() > before) rounds = 0;
    }
  }

  private fail(reason: string): void {
    const { clock, log, pool } = this.options;
    this.failures += 1;
    this.lastError = reason;
    const ceiling = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.failures - 1));
    // Equal jitter: at least half the step, so pools that lost the same server do not retry in step.
    const waitMs = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    if (this.failures === 1) log.warn(`the pool is below min (${pool.total()} of ${pool.min}) and cannot refill: ${reason}; retrying with back-off`);
    this.state = 'backing-off';
    this.retryAt = clock.now() + waitMs;
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      this.retryAt = null;
      if (this.state === 'backing-off') this.launch();
    }, waitMs);
  }

  private clearTimer(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
  }
}
