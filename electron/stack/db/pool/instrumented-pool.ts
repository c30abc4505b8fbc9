import pg from 'pg';
import type { PoolLeak, PoolSettings, PoolSnapshot } from '../../../../shared/contract/pool';
import type { Clock } from '../../clock/clock';
import { BulkheadError, describeError } from '../../errors';
import type { Logger } from '../../log/logger';
import { classifyPgError } from '../pg-error';
import { BoundedHistogram } from './bounded-histogram';
import { PoolRefiller, type RefillBackoff } from './pool-refill';

/** A client taken from the pool. Release it exactly once, in `finally`; pass the error if it broke. */
export interface PoolLease {
  readonly id: number;
  readonly label: string;
  readonly client: pg.PoolClient;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  /** `error` (or true) destroys the client instead of returning it: use it after a broken connection. */
  release(error?: Error | boolean): void;
}

interface LeaseRecord {
  readonly id: number;
  readonly label: string;
  readonly acquiredAt: number;
  readonly stack: string;
  readonly client: pg.PoolClient;
  reported: boolean;
}

export type PoolCounters = Pick<PoolSnapshot, 'counts' | 'refill' | 'oldestWaiterMs' | 'acquireWaitMs' | 'holdMs' | 'totals' | 'leaks'>;

export interface InstrumentedPoolOptions {
  config: pg.ClientConfig;
  settings: PoolSettings;
  clock: Clock;
  log: Logger;
  /** Waits between refill attempts while the server refuses (default 250 ms doubling to 10 s). */
  refillBackoff?: RefillBackoff;
}

/**
 * node-postgres's Pool with the bounds set (max, min, connect timeout, idle timeout, max lifetime), an
 * 'error' listener so an idle client's failure never kills the process, a refiller that keeps it at
 * min when the server ends sessions, and the instruments the Pool page shows: who waits and for how
 * long, who holds and for how long, and which holder looks leaked (with the stack of the code that
 * took it).
 */
export class InstrumentedPool {
  readonly settings: PoolSettings;
  private readonly pool: pg.Pool;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly waiters = new Map<number, number>();
  private readonly leases = new Map<number, LeaseRecord>();
  private readonly waitHistogram: BoundedHistogram;
  private readonly holdHistogram: BoundedHistogram;
  private readonly refiller: PoolRefiller;
  private nextId = 1;
  private ended = false;
  private readonly totals = { acquired: 0, acquireTimeouts: 0, acquireErrors: 0, clientsCreated: 0, clientsRemoved: 0, idleClientErrors: 0, leaksDetected: 0 };

  constructor(options: InstrumentedPoolOptions) {
    this.settings = options.settings;
    this.clock = options.clock;
    this.log = options.log;
    this.waitHistogram = new BoundedHistogram(options.clock);
    this.holdHistogram = new BoundedHistogram(options.clock);
    this.pool = new pg.Pool({
      ...options.config,
      max: options.settings.max,
      min: options.settings.min,
      connectionTimeoutMillis: options.settings.connectionTimeoutMs,
      idleTimeoutMillis: options.settings.idleTimeoutMs,
      maxLifetimeSeconds: options.settings.maxLifetimeSeconds,
    });
    this.refiller = new PoolRefiller({
      pool: { min: options.settings.min, max: options.settings.max, total: () => this.pool.totalCount, open: (count, signal) => this.openClients(count, signal) },
      clock: options.clock,
      log: options.log,
      ...(options.refillBackoff ? { backoff: options.refillBackoff } : {}),
    });
    // Without this listener, a server restart or pg_terminate_backend on an idle client crashes the process.
    this.pool.on('error', (error) => {
      // After end(), clients still closing may hear the server's own shutdown (57P01): expected, not news.
      if (this.ended) return;
      this.totals.idleClientErrors += 1;
      const info = classifyPgError(error);
      this.log.warn(`an idle database client failed and was removed (${info.code}): ${info.message}`);
      this.refiller.request();
    });
    this.pool.on('connect', () => {
      this.totals.clientsCreated += 1;
      // A caller's new client got through: the server accepts again, so a back-off has nothing left to wait for.
      this.refiller.retryNow();
    });
    // Every way a client leaves (error, broken release, max lifetime, idle timeout) ends in 'remove'.
    this.pool.on('remove', () => {
      this.totals.clientsRemoved += 1;
      if (!this.ended) this.refiller.request();
    });
  }

  /**
   * Takes a client, waiting at most `connectionTimeoutMs`. The label names the caller in leak reports
   * and should say what the client is for (`rag.search`, `agent:answer#12`).
   */
  async acquire(label: string, options: { signal?: AbortSignal } = {}): Promise<PoolLease> {
    if (this.ended) throw new BulkheadError('POOL_CLOSED', 'The database pool is closed (Bulkhead is stopping).');
    options.signal?.throwIfAborted();
    const id = this.nextId++;
    const stack = captureCallerStack();
    const waitStarted = this.clock.now();
    this.waiters.set(id, waitStarted);
    let client: pg.PoolClient;
    try {
      client = await abortable(this.pool.connect(), options.signal);
    } catch (error) {
      throw this.acquireFailure(error, label);
    } finally {
      this.waiters.delete(id);
    }
    const acquiredAt = this.clock.now();
    this.waitHistogram.record(acquiredAt - waitStarted);
    this.totals.acquired += 1;
    this.leases.set(id, { id, label, acquiredAt, stack, client, reported: false });
    // pg-pool listens for errors only on idle clients. A leased client whose connection dies between
    // queries (server restart, pg_terminate_backend) would otherwise throw an uncaught 'error' event.
    let brokenBy: Error | undefined;
    const onLeasedError = (error: Error): void => {
      brokenBy = error;
      this.log.warn(`the connection of a held database client ("${label}") failed: ${classifyPgError(error).message}`);
    };
    client.on('error', onLeasedError);
    let released = false;
    return {
      id,
      label,
      client,
      query: (text, values) => client.query(text, values),
      release: (error) => {
        if (released) return;
        released = true;
        this.leases.delete(id);
        client.removeListener('error', onLeasedError);
        this.holdHistogram.record(this.clock.now() - acquiredAt);
        client.release(error ?? brokenBy);
      },
    };
  }

  /** acquire → fn → release in finally; a connection-level error destroys the client instead of reusing it. */
  async withClient<T>(label: string, fn: (lease: PoolLease) => Promise<T>, options: { signal?: AbortSignal } = {}): Promise<T> {
    const lease = await this.acquire(label, options);
    let broken: Error | undefined;
    try {
      return await fn(lease);
    } catch (error) {
      if (isConnectionLevel(error)) broken = error as Error;
      throw error;
    } finally {
      lease.release(broken);
    }
  }

  query<R extends pg.QueryResultRow = pg.QueryResultRow>(label: string, text: string, values?: unknown[], options: { signal?: AbortSignal } = {}): Promise<pg.QueryResult<R>> {
    return this.withClient(label, (lease) => lease.query<R>(text, values), options);
  }

  /**
   * Opens clients up to `min` now and throws if the server refuses (pg's `min` only stops idle clients
   * from being closed; it never opens one). Later losses are refilled in the background.
   */
  async warm(signal?: AbortSignal): Promise<number> {
    return this.openClients(Math.max(0, this.settings.min - this.pool.totalCount), signal);
  }

  /** Asks for a refill now, skipping any back-off: the server is known to answer again. */
  refillNow(): void {
    this.refiller.request();
    this.refiller.retryNow();
  }

  /**
   * Opens up to `count` new clients, never above max, and leaves them idle; resolves with how many.
   * pg-pool opens a client for a caller only when none is idle, so the idle ones are taken too — for the
   * instant it takes pg-pool to start the new connections — and every client goes straight back.
   */
  private async openClients(count: number, signal?: AbortSignal): Promise<number> {
    if (this.ended) throw new BulkheadError('POOL_CLOSED', 'The database pool is closed (Bulkhead is stopping).');
    const fresh = Math.min(count, this.settings.max - this.pool.totalCount);
    if (fresh <= 0) return 0;
    const takes = Array.from({ length: this.pool.idleCount + fresh }, () => abortable(this.pool.connect(), signal).then((client) => client.release()));
    const settled = await Promise.allSettled(takes);
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return fresh;
  }

  counters(): PoolCounters {
    const now = this.clock.now();
    let oldestWaiter = 0;
    for (const since of this.waiters.values()) oldestWaiter = Math.max(oldestWaiter, now - since);
    return {
      counts: {
        total: this.pool.totalCount,
        idle: this.pool.idleCount,
        waiting: this.pool.waitingCount,
        leased: this.leases.size,
        min: this.settings.min,
        max: this.settings.max,
      },
      oldestWaiterMs: oldestWaiter,
      acquireWaitMs: this.waitHistogram.distribution(),
      holdMs: this.holdHistogram.distribution(),
      refill: this.refiller.snapshot(),
      totals: { ...this.totals },
      leaks: this.scanLeaks(now),
    };
  }

  /** Closes every client. Clients still held (leaks) are destroyed, so shutdown never waits on them. */
  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.refiller.stop();
    for (const lease of this.leases.values()) {
      this.log.warn(`closing the pool while "${lease.label}" still holds a client (taken at:\n${lease.stack})`);
      lease.client.release(new Error('pool closing'));
    }
    this.leases.clear();
    await this.pool.end();
  }

  private scanLeaks(now: number): PoolLeak[] {
    const leaks: PoolLeak[] = [];
    for (const lease of this.leases.values()) {
      const heldMs = now - lease.acquiredAt;
      if (heldMs < this.settings.leakThresholdMs) continue;
      if (!lease.reported) {
        lease.reported = true;
        this.totals.leaksDetected += 1;
        this.log.warn(`database client "${lease.label}" held for ${Math.round(heldMs)} ms (leak threshold ${this.settings.leakThresholdMs} ms); taken at:\n${lease.stack}`);
      }
      leaks.push({ id: lease.id, label: lease.label, heldMs, stack: lease.stack });
    }
    return leaks.sort((a, b) => b.heldMs - a.heldMs).slice(0, 50);
  }

  private acquireFailure(error: unknown, label: string): Error {
    if (error instanceof BulkheadError) return error;
    const info = classifyPgError(error);
    if (info.code === 'POOL_TIMEOUT') {
      this.totals.acquireTimeouts += 1;
      const holders = [...this.leases.values()].sort((a, b) => a.acquiredAt - b.acquiredAt);
      const oldest = holders[0];
      const who = oldest ? ` The longest holder is "${oldest.label}" (${Math.round(this.clock.now() - oldest.acquiredAt)} ms).` : '';
      return new BulkheadError('POOL_EXHAUSTED', `"${label}" waited ${this.settings.connectionTimeoutMs} ms and no database client came free: all ${this.settings.max} are in use.${who}`, {
        remedy: 'Release every client in a finally block (the Pool page lists held clients with the stack that took them), shorten transactions, or raise BULKHEAD_POOL_MAX if the server has room.',
        cause: error,
      });
    }
    this.totals.acquireErrors += 1;
    return new BulkheadError(`DB_${info.code}`, `Could not get a database connection for "${label}": ${describeError(error)}`, {
      remedy: 'Run the doctor (Doctor page, or `bulkhead doctor`) to see which step fails.',
      cause: error,
    });
  }
}

/** Errors after which the client's connection cannot be trusted (as opposed to an SQL error). */
function isConnectionLevel(error: unknown): boolean {
  const info = classifyPgError(error);
  return !info.sqlstate || info.code.startsWith('57P') || info.code.startsWith('08');
}

/** Rejects on abort; a client that arrives after the abort goes straight back to the pool. */
function abortable(connecting: Promise<pg.PoolClient>, signal: AbortSignal | undefined): Promise<pg.PoolClient> {
  if (!signal) return connecting;
  if (signal.aborted) {
    // Aborted before the connect was asked for: no 'abort' event will come, so answer now.
    connecting.then((client) => client.release(), () => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    connecting.then(
      (client) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) client.release();
        else resolve(client);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The stack of whoever called acquire, without this file's frames and node internals. */
function captureCallerStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 24;
  const raw = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const lines = raw.split('\n').slice(1);
  return lines
    .filter((line) => !/\b(captureCallerStack|InstrumentedPool\.)/.test(line) && !line.includes('node:internal') && !line.includes('node_modules'))
    .slice(0, 8)
    .map((line) => line.trim())
    .join('\n');
}
