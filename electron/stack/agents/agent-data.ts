import type { RetrievedChunk } from '../../../shared/contract/rag';
import type { CorpusDocument } from '../db/rag/corpus';

/** One stored answer of rag-answer. */
export interface AnswerRow {
  runId: string;
  requestIndex: number;
  question: string;
  answer: string;
  sourceChunkIds: number[];
}

/**
 * How an agent reaches the RAG database. Governed: a bounded pool and a bounded fan-out. Unbounded (the
 * before-state): a brand-new connection per query and an unbounded Promise.all. Both are real code
 * against the same database; an A/B run differs only here, in the gate and in the provider governance.
 */
export interface AgentDataAccess {
  /** Top-k chunks for each sub-query, merged (best first, duplicates dropped). */
  retrieve(queries: readonly string[], k: number, label: string, signal: AbortSignal): Promise<RetrievedChunk[]>;
  /**
   * Loads the opening of each hit's document (context expansion, one query per hit — the N+1 pattern
   * agents use), in the hits' order.
   */
  expand(chunks: readonly RetrievedChunk[], label: string, signal: AbortSignal): Promise<string[]>;
  storeAnswer(row: AnswerRow, label: string, signal: AbortSignal): Promise<void>;
  /** Chunks the document and inserts it with its chunks; returns the number of chunks. */
  ingest(document: CorpusDocument, label: string, signal: AbortSignal): Promise<number>;
  /** Clients the pool may open (null: no pool). */
  readonly poolMax: number | null;
  /** Callers waiting for a pooled client now (null: no pool). */
  poolWaiting(): number | null;
  /** Removes what the run wrote (answers, ingested documents) and releases clients it owns. */
  close(runId: string): Promise<void>;
}

export const ANSWERS_DDL = `
  CREATE TABLE IF NOT EXISTS agent_answers (
    id bigserial PRIMARY KEY,
    run_id text NOT NULL,
    request_index int NOT NULL,
    question text NOT NULL,
    answer text NOT NULL,
    source_chunk_ids bigint[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS agent_answers_run ON agent_answers (run_id);`;

export const DOCUMENT_OPENING = `SELECT left(d.body, 400) AS opening FROM rag_chunks c JOIN rag_documents d ON d.id = c.document_id WHERE c.id = $1`;
export const INSERT_ANSWER = 'INSERT INTO agent_answers (run_id, request_index, question, answer, source_chunk_ids) VALUES ($1, $2, $3, $4, $5::bigint[])';
export const INSERT_DOCUMENT = `INSERT INTO rag_documents (source, title, topic, body, content_hash) VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (source) DO UPDATE SET body = excluded.body, content_hash = excluded.content_hash, updated_at = now() RETURNING id`;
export const INSERT_CHUNKS = `INSERT INTO rag_chunks (document_id, ordinal, heading, text)
  SELECT $1, o, $2, t FROM unnest($3::int[], $4::text[]) AS u(o, t)`;
export const INSERT_ONE_CHUNK = 'INSERT INTO rag_chunks (document_id, ordinal, heading, text) VALUES ($1, $2, $3, $4)';
export const DELETE_RUN_ANSWERS = 'DELETE FROM agent_answers WHERE run_id = $1';
export const DELETE_RUN_DOCUMENTS = 'DELETE FROM rag_documents WHERE starts_with(source, $1)';

/** Merges per-query results: best score first, each chunk once, at most `k`. */
export function mergeChunks(lists: readonly RetrievedChunk[][], k: number): RetrievedChunk[] {
  const best = new Map<number, RetrievedChunk>();
  for (const list of lists) {
    for (const chunk of list) {
      const known = best.get(chunk.chunkId);
      if (!known || chunk.score > known.score) best.set(chunk.chunkId, chunk);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, k);
}
