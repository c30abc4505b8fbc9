import { join } from 'node:path';
import type pg from 'pg';
import type { DatabaseState, EmbeddedServerInfo, PoolSettings, PoolSettingsInfo, PoolSnapshot, ServerActivity } from '../../../shared/contract/pool';
import type { RagStatus, RetrievalMode, RetrievedChunk } from '../../../shared/contract/rag';
import { sleep, type Clock } from '../clock/clock';
import { BulkheadError, describeError } from '../errors';
import type { Logger } from '../log/logger';
import { resolveDatabaseConfig, type ConnectionSettings } from './config/database-config';
import { readEnvLayers, type EnvLayer } from './config/env-layers';
import { embeddedSettings, resolveTarget, type DatabaseTarget } from './database-target';
import { startEmbeddedServer, type EmbeddedServer } from './embedded/embedded-server';
import { classifyPgError } from './pg-error';
import { clientConfigFor, queryWithNewClient } from './pool/client-config';
import { InstrumentedPool } from './pool/instrumented-pool';
import { DEFAULT_POOL_SETTINGS, resolvePoolSettings } from './pool/pool-settings';
import { ServerActivitySampler } from './pool/server-activity';
import { defaultCorpusDir, readCorpus } from './rag/corpus';
import { ingestDocuments } from './rag/ingest';
import { migrateRagSchema, pgvectorState, type PgvectorState } from './rag/rag-migrations';
import { searchChunks } from './rag/retrieval';

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
  /** Pause between reconnect attempts while the server is unreachable. */
  retryDelayMs?: number;
}

/** What callers get once the database is ready: the pool, the target and the unbounded-mode door. */
export interface ReadyDatabase {
  readonly pool: InstrumentedPool;
  readonly target: DatabaseTarget;
  readonly retrieval: RetrievalMode;
  /** The same settings the pool uses, for code that needs its own pg.Client. */
  clientConfig(): pg.ClientConfig;
  /** Unbounded mode: a brand-new connection for this one query. */
  queryUnbounded<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  search(query: string, k: number, options?: { signal?: AbortSignal; label?: string }): Promise<RetrievedChunk[]>;
}

export interface RagDatabase {
  readonly state: DatabaseState;
  readonly stateDetail: string;
  /** Null until ready, and while unavailable. */
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
   * the database is configured or not started. The pool notices through the sampler and refills.
   */
  embeddedControl(): EmbeddedControl | null;
  /** Stops sampling, closes the pool, stops an embedded server we own. Safe to call twice. */
  stop(): Promise<void>;
}

export interface EmbeddedControl {
  /** Fast shutdown; resolves with a short description. */
  stop(): Promise<string>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<string>;
  running(): boolean;
}

/**
 * The RAG database's lifecycle. `startRagDatabase` returns at once and brings the database up in the
 * background — configured or embedded, TLS decided, pool warmed, schema migrated, corpus ingested — so
 * the panel appears immediately and shows "starting". An unreachable server makes it `unavailable`
 * (never a crash; the doctor still works) and it keeps retrying; a server that goes away after start is
 * noticed through the pg_stat_activity sampler and the pool refills when it is back.
 */
export function startRagDatabase(options: RagDatabaseOptions): RagDatabase {
  const { clock, log } = options;
  const controller = new AbortController();
  let state: DatabaseState = options.mode === 'none' ? 'disabled' : 'starting';
  let detail = options.mode === 'none' ? 'no database in this stack (started with database: none)' : 'reading configuration';
  let layers: EnvLayer[] = [];
  let settings: PoolSettings = { ...DEFAULT_POOL_SETTINGS, ...options.poolOverrides };
  let settingsSources: PoolSettingsInfo['sources'] = [];
  let mode: PoolSettingsInfo['mode'] = options.mode === 'none' ? 'disabled' : 'embedded';
  let target: DatabaseTarget | null = null;
  let server: EmbeddedServer | null = null;
  let embeddedInfo: EmbeddedServerInfo | null = null;
  let pool: InstrumentedPool | null = null;
  let sampler: ServerActivitySampler | null = null;
  let ready: ReadyDatabase | null = null;
  let wasReady = false;
  let pgvector: PgvectorState = 'missing';
  let schemaVersion = 0;
  let lastIngest: RagStatus['lastIngest'] = null;
  let consecutiveSampleFailures = 0;
  const waiters = new Set<{ resolve: (db: ReadyDatabase) => void; reject: (error: unknown) => void }>();

  const setState = (next: DatabaseState, nextDetail: string): void => {
    if (next !== state || nextDetail !== detail) log.info(`RAG database: ${next} — ${nextDetail}`);
    state = next;
    detail = nextDetail;
    if (next === 'ready' && ready) for (const waiter of waiters) waiter.resolve(ready);
    if (next === 'disabled' || next === 'stopped') {
      for (const waiter of waiters) waiter.reject(new BulkheadError(next === 'disabled' ? 'DB_DISABLED' : 'DB_STOPPED', `The RAG database is ${next}: ${nextDetail}`));
    }
    if (next === 'ready' || next === 'disabled' || next === 'stopped') waiters.clear();
  };

  const onSample = (sample: ServerActivity): void => {
    if (sample.ok) {
      consecutiveSampleFailures = 0;
      if (state === 'unavailable' && wasReady && ready) {
        setState('ready', describeReady());
        pool?.warm().catch((error: unknown) => log.warn('refilling the pool after the server came back failed', error));
      }
      return;
    }
    consecutiveSampleFailures += 1;
    if (state === 'ready' && consecutiveSampleFailures >= 2) setState('unavailable', `the server stopped answering (${sample.error ?? 'no answer'}); retrying`);
  };

  const describeReady = (): string => `${target?.description ?? ''}${server ? ` (embedded, pid ${server.pid})` : ''}`;

  const bringUp = async (): Promise<void> => {
    const signal = controller.signal;
    layers = readEnvLayers({ env: options.env ?? process.env, cwd: options.cwd ?? process.cwd(), flagUrl: typeof options.mode === 'object' ? options.mode.url : undefined });
    const resolvedPool = resolvePoolSettings(layers, options.poolOverrides);
    settings = resolvedPool.settings;
    settingsSources = resolvedPool.sources;
    const config = resolveDatabaseConfig(layers);
    if (config.mode === 'invalid') {
      mode = 'configured';
      throw new BulkheadError(config.problem.code, config.problem.message, { remedy: config.problem.remedy });
    }
    mode = config.mode;
    let connection;
    if (config.mode === 'embedded') {
      setState('starting', 'starting the embedded PostgreSQL');
      server = await startEmbeddedServer({ baseDir: join(options.dataDir, 'postgres'), log: log.child('postgres'), signal });
      embeddedInfo = { port: server.port, pid: server.pid, dataDir: server.pgdata, adopted: server.adopted, startMs: server.startMs, initialised: server.initialised };
      connection = embeddedSettings(server);
    } else {
      connection = config.settings;
    }
    signal.throwIfAborted();
    target = await resolveTarget(connection, embeddedInfo, signal);
    if (target.tls.warning) log.warn(`TLS: ${target.tls.warning}`);
    const config0 = clientConfigFor(target, settings);
    pool = new InstrumentedPool({ config: config0, settings, clock, log: log.child('pool') });
    sampler = new ServerActivitySampler({ config: config0, applicationName: settings.applicationName, clock, intervalMs: options.serverSampleIntervalMs ?? 2000, onSample });
    sampler.start();

    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      setState(attempt === 1 ? 'starting' : 'unavailable', attempt === 1 ? `connecting to ${target.description}` : detail);
      try {
        await pool.warm();
        await prepareSchema(pool, signal);
        break;
      } catch (error) {
        if (signal.aborted) throw error;
        const info = classifyPgError(error);
        setState('unavailable', `cannot use ${target.description}: ${info.code} ${info.message || describeError(error)} — retrying every ${Math.round((options.retryDelayMs ?? 5000) / 1000)} s; the Doctor page explains`);
        await sleep(clock, options.retryDelayMs ?? 5000, signal);
      }
    }
    const readyTarget = target;
    const readyPool = pool;
    const retrieval: RetrievalMode = pgvector === 'enabled' ? 'vector' : 'full-text';
    ready = {
      pool: readyPool,
      target: readyTarget,
      retrieval,
      clientConfig: () => clientConfigFor(readyTarget, settings),
      queryUnbounded: (text, values) => queryWithNewClient(readyTarget, settings, text, values),
      search: (query, k, searchOptions = {}) =>
        readyPool.withClient(searchOptions.label ?? 'rag.search', (lease) => searchChunks(lease.client, query, k, retrieval), searchOptions.signal ? { signal: searchOptions.signal } : {}),
    };
    wasReady = true;
    setState('ready', describeReady());
  };

  const prepareSchema = async (readyPool: InstrumentedPool, signal: AbortSignal): Promise<void> => {
    setState(state, 'migrating the RAG schema');
    const schema = await readyPool.withClient('rag.migrate', (lease) => migrateRagSchema(lease.client, log.child('rag')));
    pgvector = schema.pgvector;
    schemaVersion = schema.version;
    signal.throwIfAborted();
    const corpusDir = options.corpusDir === undefined ? defaultCorpusDir() : options.corpusDir;
    if (corpusDir) {
      setState(state, 'loading the sample corpus');
      const documents = readCorpus(corpusDir);
      const result = await readyPool.withClient('rag.ingest', (lease) => ingestDocuments(lease.client, documents, { withEmbeddings: pgvector === 'enabled' }));
      lastIngest = { at: clock.now(), added: result.added, updated: result.updated, unchanged: result.unchanged, removed: result.removed, ms: result.ms };
      log.info(`RAG corpus: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.removed} removed in ${Math.round(result.ms)} ms`);
    }
  };

  // Set when bring-up failed in a way no retry fixes (a bad URL, an embedded server that cannot start):
  // waiters get it at once instead of waiting for a readiness that cannot come.
  let failure: BulkheadError | null = null;
  const starting: Promise<void> =
    options.mode === 'none'
      ? Promise.resolve()
      : bringUp().catch((error: unknown) => {
          if (controller.signal.aborted) return;
          const message = error instanceof BulkheadError ? `${error.message}${error.remedy ? ` — ${error.remedy}` : ''}` : describeError(error);
          log.error('the RAG database could not be started', error);
          failure =
            error instanceof BulkheadError
              ? error
              : new BulkheadError('DB_START_FAILED', `The RAG database could not be started: ${describeError(error)}`, { cause: error });
          setState('unavailable', message);
          for (const waiter of waiters) waiter.reject(failure);
          waiters.clear();
        });

  let stopping: Promise<void> | null = null;
  const emptyCounts = () => ({ total: 0, idle: 0, waiting: 0, leased: 0, min: settings.min, max: settings.max });
  const emptyDistribution = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };

  return {
    get state() {
      return state;
    },
    get stateDetail() {
      return detail;
    },
    get ready() {
      return state === 'ready' ? ready : null;
    },
    whenReady(signal) {
      if (state === 'ready' && ready) return Promise.resolve(ready);
      if (state === 'disabled' || state === 'stopped') return Promise.reject(new BulkheadError(state === 'disabled' ? 'DB_DISABLED' : 'DB_STOPPED', `The RAG database is ${state}: ${detail}`));
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const waiter = { resolve, reject };
        waiters.add(waiter);
        signal?.addEventListener('abort', () => {
          waiters.delete(waiter);
          reject(signal.reason);
        }, { once: true });
      });
    },
    snapshot() {
      const counters = pool?.counters();
      return {
        t: clock.now(),
        state,
        stateDetail: detail,
        target: target?.description ?? null,
        embedded: embeddedInfo,
        counts: counters?.counts ?? emptyCounts(),
        oldestWaiterMs: counters?.oldestWaiterMs ?? 0,
        acquireWaitMs: counters?.acquireWaitMs ?? emptyDistribution,
        holdMs: counters?.holdMs ?? emptyDistribution,
        totals: counters?.totals ?? { acquired: 0, acquireTimeouts: 0, acquireErrors: 0, clientsCreated: 0, clientsRemoved: 0, idleClientErrors: 0, leaksDetected: 0 },
        leaks: counters?.leaks ?? [],
        server: sampler?.latest ?? null,
      };
    },
    settingsInfo() {
      const config = layers.length > 0 ? resolveDatabaseConfig(layers) : null;
      return {
        settings,
        target: target?.description ?? null,
        mode,
        tls: target ? { mode: target.tls.mode, reason: target.tls.reason, ...(target.tls.warning ? { warning: target.tls.warning } : {}) } : null,
        sources: [...(config?.sources ?? []), ...settingsSources],
      };
    },
    explicitUrl: typeof options.mode === 'object' ? options.mode.url : undefined,
    embeddedConnection() {
      return server ? embeddedSettings(server) : null;
    },
    embeddedControl() {
      const current = server;
      if (!current) return null;
      let down = false;
      return {
        running: () => !down,
        stop: async () => {
          const live = server ?? current;
          await live.stop();
          down = true;
          return `pid ${live.pid} stopped`;
        },
        start: async () => {
          const port = (server ?? current).port;
          server = await startEmbeddedServer({ baseDir: join(options.dataDir, 'postgres'), log: log.child('postgres'), port, adoptOrphan: true, signal: controller.signal });
          embeddedInfo = { port: server.port, pid: server.pid, dataDir: server.pgdata, adopted: server.adopted, startMs: server.startMs, initialised: server.initialised };
          down = false;
          return `pid ${server.pid} on port ${server.port}, ready in ${Math.round(server.startMs)} ms`;
        },
      };
    },
    async ragStatus() {
      const current = state === 'ready' ? ready : null;
      if (!current) {
        return { ready: false, documents: 0, chunks: 0, retrieval: 'full-text', pgvector, schemaVersion, lastIngest };
      }
      const counts = await current.pool.withClient('rag.status', async (lease) => {
        const row = (await lease.query<{ documents: string; chunks: string }>('SELECT (SELECT count(*) FROM rag_documents) AS documents, (SELECT count(*) FROM rag_chunks) AS chunks')).rows[0];
        pgvector = await pgvectorState(lease.client);
        return row;
      });
      return { ready: true, documents: Number(counts?.documents ?? 0), chunks: Number(counts?.chunks ?? 0), retrieval: current.retrieval, pgvector, schemaVersion, lastIngest };
    },
    stop() {
      return (stopping ??= (async () => {
        controller.abort(new BulkheadError('DB_STOPPED', 'The RAG database is stopping.'));
        await starting;
        await sampler?.stop();
        await pool?.end().catch((error: unknown) => log.warn('closing the pool failed', error));
        await server?.stop();
        setState('stopped', 'stopped');
      })());
    },
  };
}
