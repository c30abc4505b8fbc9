import type pg from 'pg';
import type { RetrievalMode } from '../../../shared/contract/rag';
import type { Clock } from '../clock/clock';
import { chunkDocument } from '../db/rag/chunker';
import type { CorpusDocument } from '../db/rag/corpus';
import { searchChunks } from '../db/rag/retrieval';
import { ingestSourcePrefix } from './agent-content';
import { DELETE_RUN_ANSWERS, DELETE_RUN_DOCUMENTS, DOCUMENT_OPENING, INSERT_ANSWER, INSERT_DOCUMENT, INSERT_ONE_CHUNK, mergeChunks, type AgentDataAccess } from './agent-data';
import type { StageTimings } from './stage-timings';

/** Runs one query on a connection opened for it and closed after it (the before-state's way). */
export type OneShotQuery = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>;

export interface UnboundedDataOptions {
  query: OneShotQuery;
  retrieval: RetrievalMode;
  clock: Clock;
  timings: StageTimings;
}

/**
 * The "before" database access, as hand-written agent code often looks: every query opens its own
 * connection (no pool), a request's sub-queries go out together in an unbounded Promise.all, chunking
 * runs on the event loop, and ingest inserts every chunk on its own connection at once. Its `query`
 * timing includes the connection set-up, since that is part of what each query costs here.
 */
export function unboundedData(options: UnboundedDataOptions): AgentDataAccess {
  const { query, clock, timings } = options;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const started = clock.now();
    try {
      return await fn();
    } finally {
      timings.record('query', clock.now() - started);
    }
  };
  // searchChunks takes a client; a one-shot "client" whose query opens a connection per call.
  const oneShotClient = { query } as unknown as pg.ClientBase;

  return {
    poolMax: null,
    poolWaiting: () => null,

    async retrieve(queries, k) {
      const lists = await Promise.all(queries.map((q) => timed(() => searchChunks(oneShotClient, q, k, options.retrieval))));
      return mergeChunks(lists, k);
    },

    expand(chunks) {
      return Promise.all(chunks.map(async (chunk) => (await timed(() => query<{ opening: string }>(DOCUMENT_OPENING, [chunk.chunkId]))).rows[0]?.opening ?? ''));
    },

    async storeAnswer(row) {
      await timed(() => query(INSERT_ANSWER, [row.runId, row.requestIndex, row.question, row.answer, row.sourceChunkIds]));
    },

    async ingest(document: CorpusDocument) {
      const chunks = chunkDocument(document.body);
      const inserted = await timed(() => query<{ id: string }>(INSERT_DOCUMENT, [document.source, document.title, document.topic, document.body, document.contentHash]));
      const id = inserted.rows[0]!.id;
      await Promise.all(chunks.map((text, ordinal) => timed(() => query(INSERT_ONE_CHUNK, [id, ordinal, document.title, text]))));
      return chunks.length;
    },

    async close(runId) {
      await query(DELETE_RUN_ANSWERS, [runId]);
      await query(DELETE_RUN_DOCUMENTS, [ingestSourcePrefix(runId)]);
    },
  };
}
