import type { RetrievalMode } from '../../../shared/contract/rag';
import type { Clock } from '../clock/clock';
import type { AdaptiveSemaphore } from '../concurrency/adaptive/adaptive-semaphore';
import { mapBounded } from '../concurrency/map-bounded';
import type { InstrumentedPool, PoolLease } from '../db/pool/instrumented-pool';
import { transactionStart } from '../db/pool/client-config';
import type { CorpusDocument } from '../db/rag/corpus';
import { searchChunks } from '../db/rag/retrieval';
import { ingestSourcePrefix } from './agent-content';
import {
  DELETE_RUN_ANSWERS,
  DELETE_RUN_DOCUMENTS,
  DOCUMENT_OPENING,
  INSERT_ANSWER,
  INSERT_CHUNKS,
  INSERT_DOCUMENT,
  mergeChunks,
  type AgentDataAccess,
} from './agent-data';
import type { StageTimings } from './stage-timings';

export interface GovernedDataOptions {
  pool: InstrumentedPool;
  /** Whether this access owns the pool (a dedicated one, e.g. through a chaos proxy) and must end it. */
  ownsPool: boolean;
  retrieval: RetrievalMode;
  clock: Clock;
  timings: StageTimings;
  /** Sub-queries of one request that may hold a pooled client at once. */
  fanOut: number;
  /** Splits a document into chunks off the event loop (the worker pool). */
  chunk: (body: string, signal: AbortSignal) => Promise<string[]>;
  /**
   * Adaptive mode: every retrieval query of every request also holds a permit of this limit, which
   * learns from the query's latency (pool wait included) how many the database takes at once.
   */
  retrievalLimit?: AdaptiveSemaphore;
}

/**
 * Governed database access: every query takes a client from the bounded pool (acquire timed), holds it
 * only for that query and gives it back in `finally`; a request's sub-queries run through mapBounded,
 * so one request never holds more than `fanOut` clients; ingest is one transaction on one client.
 */
export function governedData(options: GovernedDataOptions): AgentDataAccess {
  const { pool, clock, timings } = options;

  const withClient = async <T>(label: string, signal: AbortSignal, fn: (lease: PoolLease) => Promise<T>): Promise<T> => {
    const waitStarted = clock.now();
    const lease = await pool.acquire(label, { signal });
    const acquired = clock.now();
    timings.record('pool_acquire', acquired - waitStarted);
    let broken: Error | undefined;
    try {
      return await fn(lease);
    } catch (error) {
      // A connection that failed mid-query is not given back to other callers.
      if (error instanceof Error && !('severity' in error)) broken = error;
      throw error;
    } finally {
      timings.record('query', clock.now() - acquired);
      lease.release(broken);
    }
  };

  const limited = <T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> =>
    options.retrievalLimit ? options.retrievalLimit.withPermit(fn, { signal, label: 'retrieval' }) : fn();

  return {
    poolMax: pool.settings.max,
    poolWaiting: () => pool.counters().counts.waiting,

    async retrieve(queries, k, label, signal) {
      const lists = await mapBounded(queries, options.fanOut, (query, _i, inner) =>
        limited(inner, () => withClient(`${label}:retrieve`, inner, (lease) => searchChunks(lease.client, query, k, options.retrieval))),
      { signal });
      return mergeChunks(lists, k);
    },

    expand(chunks, label, signal) {
      return mapBounded(chunks, options.fanOut, (chunk, _i, inner) =>
        limited(inner, () => withClient(`${label}:expand`, inner, async (lease) => (await lease.query<{ opening: string }>(DOCUMENT_OPENING, [chunk.chunkId])).rows[0]?.opening ?? '')),
      { signal });
    },

    async storeAnswer(row, label, signal) {
      await withClient(`${label}:store`, signal, (lease) =>
        lease.query(INSERT_ANSWER, [row.runId, row.requestIndex, row.question, row.answer, row.sourceChunkIds]),
      );
    },

    async ingest(document: CorpusDocument, label, signal) {
      const chunks = await options.chunk(document.body, signal);
      await withClient(`${label}:ingest`, signal, async (lease) => {
        await lease.query(transactionStart(pool.settings));
        try {
          const inserted = await lease.query<{ id: string }>(INSERT_DOCUMENT, [document.source, document.title, document.topic, document.body, document.contentHash]);
          const id = inserted.rows[0]!.id;
          await lease.query('DELETE FROM rag_chunks WHERE document_id = $1', [id]);
          await lease.query(INSERT_CHUNKS, [id, document.title, chunks.map((_, i) => i), chunks]);
          await lease.query('COMMIT');
        } catch (error) {
          await lease.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
      return chunks.length;
    },

    async close(runId) {
      try {
        await pool.query('stress:cleanup', DELETE_RUN_ANSWERS, [runId]);
        await pool.query('stress:cleanup', DELETE_RUN_DOCUMENTS, [ingestSourcePrefix(runId)]);
      } finally {
        if (options.ownsPool) await pool.end();
      }
    },
  };
}
