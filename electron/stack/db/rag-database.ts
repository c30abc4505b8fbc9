import type { DatabaseState, PoolSettings, PoolSettingsInfo, PoolSnapshot, ServerActivity } from '../../../shared/contract/pool';
import type { RagStatus } from '../../../shared/contract/rag';
import type { Clock, TimerHandle } from '../clock/clock';
import { BulkheadError } from '../errors';
import type { Logger } from '../log/logger';
import { resolveDatabaseConfig, type ConnectionSettings } from './config/database-config';
import { embeddedSettings } from './database-target';
import type { EmbeddedServer } from './embedded/embedded-server';
import { AttemptFailure, bringUp, type BringUpOptions, type DatabaseFacts } from './lifecycle/bring-up';
import { canReach, transition, type LifecycleEvent } from './lifecycle/lifecycle-machine';
import { embeddedInfoOf, type EmbeddedControl, type LiveDatabase, type ReadyDatabase } from './lifecycle/live-database';
import { ReadyWaiters } from './lifecycle/ready-waiters';
import { DEFAULT_POOL_SETTINGS } from './pool/pool-settings';
import type { RefillBackoff } from './pool/pool-refill';
import { pgvectorState } from './rag/rag-migrations';

export type { EmbeddedControl, ReadyDatabase } from './lifecycle/live-database';

/** `auto`: configured database, else embedded. `none`: no database (tests, doctor-only). `{url}`: this one. */
export type DatabaseMode = 'auto' | 'none' | { url: string };

export interface RagDatabaseOptions {
  dataDir: string;
  mode: DatabaseMode;
  clock: Clock;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  poolOverrides?: Partial<PoolSettings>;
  /** Corpus to ingest once ready; default resources/corpus; null skips ingest. */
  corpusDir?: string | null;
  serverSampleIntervalMs?: number;
  /** Pause between attempts to bring the database up while it cannot be used. */
  retryDelayMs?: number;
  /** The pool's waits between refill attempts while the server refuses. */
  refillBackoff?: RefillBackoff;
}

export interface RagDatabase {
  readonly state: DatabaseState;
  readonly stateDetail: string;
  /** Null unless ready. */
  readonly ready: ReadyDatabase | null;
  /**
   * Resolves when ready; rejects when it never will be — DB_DISABLED, DB_STOPPED, or the error that
   * ended bring-up for good (e.g. URL_PASSWORD_NEEDS_ENCODING) — or on abort.
   */
  whenReady(signal?: AbortSignal): Promise<ReadyDatabase>;
  snapshot(): PoolSnapshot;
  settingsInfo(): PoolSettingsInfo;
  ragStatus(): Promise<RagStatus>;
  /** The URL this stack was started with ({ url } mode), which the doctor then checks by default. */
  readonly explicitUrl: string | undefined;
  /** Connection settings of the embedded server this stack runs, or null (configured database, not started). */
  embeddedConnection(): ConnectionSettings | null;
  /**
   * Stop and start of the embedded server this stack runs (the db-restart chaos scenario), or null when
   * the database is configured or not up. The sampler notices; the pool refills when it is back.
   */
  embeddedControl(): EmbeddedControl | null;
  /** Closes whatever the current state holds and ends in `stopped`. Safe to call twice; never rejects. */
  stop(): Promise<void>;
}

/** One bring-up attempt while it runs: the starting state owns it. */
interface Attempt {
  readonly number: number;
  readonly controller: AbortController;
  embedded: EmbeddedServer | null;
  progress: string;
  /** The failure before this attempt, shown while it runs. */
  readonly previousFailure: string | null;
  done: Promise<void>;
}

/** The lifecycle's one field: which state it is in, and what that state holds. */
type Phase =
  | { readonly state: 'disabled' }
  | { readonly state: 'starting'; readonly attempt: Attempt }
  | { readonly state: 'retrying'; readonly attempts: number; readonly embedded: EmbeddedServer | null; readonly timer: TimerHandle; readonly retryAt: number; readonly failure: string }
  | { readonly state: 'ready'; readonly live: LiveDatabase }
  | { readonly state: 'unavailable'; readonly live: LiveDatabase; readonly reason: string }
  | { readonly state: 'failed'; readonly error: BulkheadError }
  | { readonly state: 'stopping'; readonly done: Promise<void> }
  | { readonly state: 'stopped' };

const EMPTY_DISTRIBUTION = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
const EMPTY_TOTALS = { acquired: 0, acquireTimeouts: 0, acquireErrors: 0, clientsCreated: 0, clientsRemoved: 0, idleClientErrors: 0, leaksDetected: 0 };

/**
 * The RAG database's lifecycle as a state machine (lifecycle/lifecycle-machine.ts has the table,
 * docs/database-lifecycle.md the diagram). `startRagDatabase` returns at once and brings the database
 * up in the background, so the panel appears immediately and shows `starting`. A server that cannot
 * be used makes it `retrying` (never a crash; the doctor still works); one that goes away after start
 * makes it `unavailable` until the sampler hears it again. Each state owns what it holds — an attempt,
 * a retry timer, the live pool and sampler, the embedded server — and `stop()` closes exactly that.
 */
export function startRagDatabase(options: RagDatabaseOptions): RagDatabase {
  return new RagDatabaseLifecycle(options);
}

class RagDatabaseLifecycle implements RagDatabase {
  readonly explicitUrl: string | undefined;
  private phase: Phase;
  private readonly facts: DatabaseFacts;
  private readonly waiters = new ReadyWaiters<ReadyDatabase>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly bringUpOptions: BringUpOptions | null;

  constructor(private readonly options: RagDatabaseOptions) {
    this.clock = options.clock;
    this.log = options.log;
    this.explicitUrl = typeof options.mode === 'object' ? options.mode.url : undefined;
    const settings = { ...DEFAULT_POOL_SETTINGS, ...options.poolOverrides };
    this.facts = { layers: [], settings, settingsSources: [], mode: options.mode === 'none' ? 'disabled' : 'embedded', target: null, pgvector: 'missing', schemaVersion: 0, lastIngest: null, tlsWarned: false };
    if (options.mode === 'none') {
      this.bringUpOptions = null;
      this.phase = { state: 'disabled' };
      return;
    }
    this.bringUpOptions = {
      dataDir: options.dataDir,
      mode: options.mode,
      clock: options.clock,
      log: options.log,
      env: options.env ?? process.env,
      cwd: options.cwd ?? process.cwd(),
      poolOverrides: options.poolOverrides,
      corpusDir: options.corpusDir,
      serverSampleIntervalMs: options.serverSampleIntervalMs ?? 2000,
      refillBackoff: options.refillBackoff,
    };
    this.phase = { state: 'starting', attempt: this.launchAttempt(1, null, null) };
    this.log.info(`RAG database: starting — ${this.stateDetail}`);
  }

  get state(): DatabaseState {
    return this.phase.state;
  }

  get stateDetail(): string {
    const phase = this.phase;
    switch (phase.state) {
      case 'disabled':
        return 'no database in this stack (started with database: none)';
      case 'starting':
        return phase.attempt.previousFailure ? `attempt ${phase.attempt.number}: ${phase.attempt.progress} (last attempt: ${phase.attempt.previousFailure})` : phase.attempt.progress;
      case 'retrying':
        return `${phase.failure} — retrying every ${Math.round(this.retryDelayMs() / 1000)} s; the Doctor page explains`;
      case 'ready':
        return describeLive(phase.live);
      case 'unavailable':
        return `the server stopped answering (${phase.reason}); the pool refills when it is back`;
      case 'failed':
        return `${phase.error.message}${phase.error.remedy ? ` — ${phase.error.remedy}` : ''}`;
      case 'stopping':
        return 'closing the pool and stopping what it started';
      case 'stopped':
        return 'the pool and everything it started are closed';
    }
  }

  get ready(): ReadyDatabase | null {
    return this.phase.state === 'ready' ? this.phase.live.handle : null;
  }

  whenReady(signal?: AbortSignal): Promise<ReadyDatabase> {
    const phase = this.phase;
    if (phase.state === 'ready') return Promise.resolve(phase.live.handle);
    if (!canReach(phase.state, 'ready')) return Promise.reject(this.neverReady());
    return this.waiters.wait(signal);
  }

  snapshot(): PoolSnapshot {
    const live = this.live();
    const counters = live?.pool.counters();
    const { settings } = this.facts;
    const embedded = this.embeddedServer();
    return {
      t: this.clock.now(),
      state: this.phase.state,
      stateDetail: this.stateDetail,
      target: this.facts.target?.description ?? null,
      embedded: embedded ? embeddedInfoOf(embedded) : null,
      counts: counters?.counts ?? { total: 0, idle: 0, waiting: 0, leased: 0, min: settings.min, max: settings.max },
      refill: counters?.refill ?? { state: 'stopped', missing: 0, belowMinSince: null, failures: 0, retryAt: null, lastError: null, opened: 0 },
      oldestWaiterMs: counters?.oldestWaiterMs ?? 0,
      acquireWaitMs: counters?.acquireWaitMs ?? EMPTY_DISTRIBUTION,
      holdMs: counters?.holdMs ?? EMPTY_DISTRIBUTION,
      totals: counters?.totals ?? EMPTY_TOTALS,
      leaks: counters?.leaks ?? [],
      server: live?.sampler.latest ?? null,
    };
  }

  settingsInfo(): PoolSettingsInfo {
    const { layers, settings, settingsSources, mode, target } = this.facts;
    const config = layers.length > 0 ? resolveDatabaseConfig(layers) : null;
    return {
      settings,
      target: target?.description ?? null,
      mode,
      tls: target ? { mode: target.tls.mode, reason: target.tls.reason, ...(target.tls.warning ? { warning: target.tls.warning } : {}) } : null,
      sources: [...(config?.sources ?? []), ...settingsSources],
    };
  }

  async ragStatus(): Promise<RagStatus> {
    const { facts } = this;
    const ready = this.ready;
    if (!ready) return { ready: false, documents: 0, chunks: 0, retrieval: 'full-text', pgvector: facts.pgvector, schemaVersion: facts.schemaVersion, lastIngest: facts.lastIngest };
    const counts = await ready.pool.withClient('rag.status', async (lease) => {
      const row = (await lease.query<{ documents: string; chunks: string }>('SELECT (SELECT count(*) FROM rag_documents) AS documents, (SELECT count(*) FROM rag_chunks) AS chunks')).rows[0];
      facts.pgvector = await pgvectorState(lease.client);
      return row;
    });
    return { ready: true, documents: Number(counts?.documents ?? 0), chunks: Number(counts?.chunks ?? 0), retrieval: ready.retrieval, pgvector: facts.pgvector, schemaVersion: facts.schemaVersion, lastIngest: facts.lastIngest };
  }

  embeddedConnection(): ConnectionSettings | null {
    const server = this.embeddedServer();
    return server ? embeddedSettings(server) : null;
  }

  embeddedControl(): EmbeddedControl | null {
    return this.live()?.embeddedControl() ?? null;
  }

  stop(): Promise<void> {
    const from = this.phase;
    if (from.state === 'stopping') return from.done;
    if (from.state === 'stopped') return Promise.resolve();
    // Enter `stopping` first, so nothing that settles during the teardown can move the lifecycle.
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.move('stop', { state: 'stopping', done });
    void this.release(from).finally(() => {
      this.move('stopped', { state: 'stopped' });
      finish();
    });
    return done;
  }

  /** Closes what `from` held. Never rejects: a step that fails is logged and the next one still runs. */
  private async release(from: Phase): Promise<void> {
    const warn = (what: string) => (error: unknown) => this.log.warn(`${what} failed while stopping`, error);
    switch (from.state) {
      case 'starting':
        from.attempt.controller.abort(new BulkheadError('DB_STOPPED', 'The RAG database is stopping.'));
        await from.attempt.done; // the attempt closes its own pool and sampler
        await from.attempt.embedded?.stop().catch(warn('stopping the embedded PostgreSQL'));
        return;
      case 'retrying':
        this.clock.clearTimeout(from.timer);
        await from.embedded?.stop().catch(warn('stopping the embedded PostgreSQL'));
        return;
      case 'ready':
      case 'unavailable':
        await from.live.close();
        return;
      default:
        return;
    }
  }

  private launchAttempt(number: number, embedded: EmbeddedServer | null, previousFailure: string | null): Attempt {
    const attempt: Attempt = { number, controller: new AbortController(), embedded, progress: 'reading configuration', previousFailure, done: Promise.resolve() };
    attempt.done = this.runAttempt(attempt);
    return attempt;
  }

  private async runAttempt(attempt: Attempt): Promise<void> {
    const signal = attempt.controller.signal;
    const slot = {
      get embedded() {
        return attempt.embedded;
      },
      set embedded(server: EmbeddedServer | null) {
        attempt.embedded = server;
      },
      progress: (detail: string) => {
        if (signal.aborted || detail === attempt.progress) return;
        attempt.progress = detail;
        this.log.info(`RAG database: starting — ${this.stateDetail}`);
      },
    };
    await Promise.resolve(); // the constructor assigns the phase first
    let live: LiveDatabase;
    try {
      live = await bringUp(this.bringUpOptions!, this.facts, slot, signal, (sample) => this.onSample(sample));
    } catch (error) {
      if (signal.aborted) return; // stopping: release() stops the embedded server
      const failure = error instanceof AttemptFailure ? error : new AttemptFailure(error, false, String(error));
      if (failure.retryable) {
        const delay = this.retryDelayMs();
        // Not unref'd: a CLI waiting for the database must not see its event loop run empty meanwhile.
        const timer = this.clock.setTimeout(() => this.retryDue(), delay);
        this.move('attempt-failed', { state: 'retrying', attempts: attempt.number, embedded: attempt.embedded, timer, retryAt: this.clock.now() + delay, failure: failure.detail });
      } else {
        this.log.error('the RAG database could not be started', failure.reason);
        // `failed` holds nothing: the embedded server (if it started) goes before the state changes.
        await attempt.embedded?.stop().catch((stopError: unknown) => this.log.warn('stopping the embedded PostgreSQL failed', stopError));
        attempt.embedded = null;
        if (signal.aborted) return;
        const reason = failure.reason;
        this.move('gave-up', { state: 'failed', error: reason instanceof BulkheadError ? reason : new BulkheadError('DB_FAILED', failure.detail, { cause: reason }) });
      }
      return;
    }
    if (signal.aborted) {
      // Stopped in the instant between the last step and here: nobody else will close it.
      await live.close();
      return;
    }
    this.move('attempt-succeeded', { state: 'ready', live });
  }

  private retryDue(): void {
    const phase = this.phase;
    if (phase.state !== 'retrying') return;
    this.move('retry-due', { state: 'starting', attempt: this.launchAttempt(phase.attempts + 1, phase.embedded, phase.failure) });
  }

  private onSample(sample: ServerActivity): void {
    const phase = this.phase;
    if (phase.state !== 'ready' && phase.state !== 'unavailable') return;
    const { live } = phase;
    if (sample.ok) {
      live.sampleFailures = 0;
      if (phase.state === 'unavailable') {
        this.move('server-back', { state: 'ready', live });
        live.pool.refillNow();
      }
      return;
    }
    live.sampleFailures += 1;
    if (phase.state === 'ready' && live.sampleFailures >= 2) this.move('server-lost', { state: 'unavailable', live, reason: sample.error ?? 'no answer' });
  }

  /** The one place the phase changes: the transition table decides whether `event` is allowed. */
  private move(event: LifecycleEvent, next: Phase): void {
    const to = transition(this.phase.state, event);
    if (to !== next.state) throw new Error(`lifecycle bug: "${event}" leads to ${to}, not ${next.state}`);
    this.phase = next;
    this.log.info(`RAG database: ${next.state} — ${this.stateDetail}`);
    if (next.state === 'ready') this.waiters.resolveAll(next.live.handle);
    else if (!canReach(next.state, 'ready')) this.waiters.rejectAll(this.neverReady());
  }

  private neverReady(): BulkheadError {
    const phase = this.phase;
    if (phase.state === 'failed') return phase.error;
    return new BulkheadError(phase.state === 'disabled' ? 'DB_DISABLED' : 'DB_STOPPED', `The RAG database is ${phase.state}: ${this.stateDetail}`);
  }

  private live(): LiveDatabase | null {
    const phase = this.phase;
    return phase.state === 'ready' || phase.state === 'unavailable' ? phase.live : null;
  }

  private embeddedServer(): EmbeddedServer | null {
    const phase = this.phase;
    if (phase.state === 'starting') return phase.attempt.embedded;
    if (phase.state === 'retrying') return phase.embedded;
    return this.live()?.embedded ?? null;
  }

  private retryDelayMs(): number {
    return this.options.retryDelayMs ?? 5000;
  }
}

function describeLive(live: LiveDatabase): string {
  return `${live.target.description}${live.embedded ? ` (embedded, pid ${live.embedded.pid})` : ''}`;
}
