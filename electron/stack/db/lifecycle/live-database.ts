import { join } from 'node:path';
import type pg from 'pg';
import type { EmbeddedServerInfo, PoolSettings } from '../../../../shared/contract/pool';
import type { RetrievalMode, RetrievedChunk } from '../../../../shared/contract/rag';
import type { Logger } from '../../log/logger';
import type { DatabaseTarget } from '../database-target';
import { startEmbeddedServer, type EmbeddedServer } from '../embedded/embedded-server';
import { clientConfigFor, queryWithNewClient } from '../pool/client-config';
import type { InstrumentedPool } from '../pool/instrumented-pool';
import type { ServerActivitySampler } from '../pool/server-activity';
import { searchChunks } from '../rag/retrieval';

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

export interface EmbeddedControl {
  /** Fast shutdown; resolves with a short description. */
  stop(): Promise<string>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<string>;
  running(): boolean;
}

export function embeddedInfoOf(server: EmbeddedServer): EmbeddedServerInfo {
  return { port: server.port, pid: server.pid, dataDir: server.pgdata, adopted: server.adopted, startMs: server.startMs, initialised: server.initialised };
}

export interface LiveDatabaseParts {
  target: DatabaseTarget;
  settings: PoolSettings;
  retrieval: RetrievalMode;
  pool: InstrumentedPool;
  sampler: ServerActivitySampler;
  embedded: EmbeddedServer | null;
  dataDir: string;
  log: Logger;
}

/**
 * Everything a started database holds — pool (with its refiller), server-activity sampler, and the
 * embedded server when it is ours — owned by the `ready` and `unavailable` states and closed as one.
 */
export class LiveDatabase {
  readonly handle: ReadyDatabase;
  readonly target: DatabaseTarget;
  readonly pool: InstrumentedPool;
  /** pg_stat_activity samples that failed in a row (two make the database unavailable). */
  sampleFailures = 0;
  private server: EmbeddedServer | null;
  private serverDown = false;
  /** Aborts an embedded restart still running when the database closes. */
  private readonly closing = new AbortController();
  private closed: Promise<void> | null = null;

  constructor(private readonly parts: LiveDatabaseParts) {
    const { target, settings, retrieval, pool } = parts;
    this.target = target;
    this.pool = pool;
    this.server = parts.embedded;
    this.handle = {
      pool,
      target,
      retrieval,
      clientConfig: () => clientConfigFor(target, settings),
      queryUnbounded: (text, values) => queryWithNewClient(target, settings, text, values),
      search: (query, k, options = {}) =>
        pool.withClient(options.label ?? 'rag.search', (lease) => searchChunks(lease.client, query, k, retrieval), options.signal ? { signal: options.signal } : {}),
    };
  }

  get sampler(): ServerActivitySampler {
    return this.parts.sampler;
  }

  get embedded(): EmbeddedServer | null {
    return this.server;
  }

  /** Stop and start of our embedded server, for the db-restart chaos scenario; null for a configured database. */
  embeddedControl(): EmbeddedControl | null {
    const first = this.server;
    if (!first) return null;
    return {
      running: () => !this.serverDown,
      stop: async () => {
        const live = this.server ?? first;
        await live.stop();
        this.serverDown = true;
        return `pid ${live.pid} stopped`;
      },
      start: async () => {
        const port = (this.server ?? first).port;
        const started = await startEmbeddedServer({
          baseDir: join(this.parts.dataDir, 'postgres'),
          log: this.parts.log.child('postgres'),
          port,
          adoptOrphan: true,
          signal: this.closing.signal,
        });
        if (this.closed) {
          // Closed while it started: the new server is nobody's, so it goes too.
          await started.stop();
          throw this.closing.signal.reason;
        }
        this.server = started;
        this.serverDown = false;
        return `pid ${started.pid} on port ${started.port}, ready in ${Math.round(started.startMs)} ms`;
      },
    };
  }

  /** Sampler, then pool (refiller first), then our embedded server. Each step runs even if one before failed. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing.abort(new Error('the RAG database is stopping'));
      const { log } = this.parts;
      await this.parts.sampler.stop().catch((error: unknown) => log.warn('stopping the server sampler failed', error));
      await this.pool.end().catch((error: unknown) => log.warn('closing the pool failed', error));
      await this.server?.stop().catch((error: unknown) => log.warn('stopping the embedded PostgreSQL failed', error));
    })();
    return this.closed;
  }
}
