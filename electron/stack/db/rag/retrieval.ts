import type pg from 'pg';
import type { RetrievalMode, RetrievedChunk } from '../../../../shared/contract/rag';
import { embedText, toVectorLiteral } from './hashing-embedder';

interface ChunkRow {
  chunk_id: string;
  title: string;
  source: string;
  topic: string;
  text: string;
  score: number;
}

/**
 * Nearest chunks by cosine distance. `ORDER BY embedding <=> $1 LIMIT $2` is the shape the HNSW index
 * (vector_cosine_ops) can serve; exported so tests can EXPLAIN exactly this query.
 */
export const VECTOR_SEARCH_SQL = `SELECT c.id AS chunk_id, d.title, d.source, d.topic, c.text, 1 - (c.embedding <=> $1::vector) AS score
  FROM rag_chunks c JOIN rag_documents d ON d.id = c.document_id
  WHERE c.embedding IS NOT NULL
  ORDER BY c.embedding <=> $1::vector LIMIT $2`;

export function vectorSearchParams(query: string, k: number): [string, number] {
  return [toVectorLiteral(embedText(query)), k];
}

const FULL_TEXT_SEARCH_SQL = `WITH q AS (SELECT nullif(replace(plainto_tsquery('english', $1)::text, ' & ', ' | '), '')::tsquery AS q)
  SELECT c.id AS chunk_id, d.title, d.source, d.topic, c.text, ts_rank_cd(c.tsv, q.q, 1) AS score
  FROM q, rag_chunks c JOIN rag_documents d ON d.id = c.document_id
  WHERE q.q IS NOT NULL AND c.tsv @@ q.q
  ORDER BY score DESC, c.id LIMIT $2`;

/**
 * Top-k chunks for a question. Full-text: the question's words (stemmed, stop words dropped by
 * PostgreSQL's english configuration) OR-ed together and ranked by ts_rank_cd, titles weighted above
 * text. Vector (pgvector): cosine distance to the question's hashing embedding.
 */
export async function searchChunks(client: pg.ClientBase, query: string, k: number, mode: RetrievalMode): Promise<RetrievedChunk[]> {
  const result =
    mode === 'vector'
      ? await client.query<ChunkRow>(VECTOR_SEARCH_SQL, vectorSearchParams(query, k))
      : await client.query<ChunkRow>(FULL_TEXT_SEARCH_SQL, [query, k]);
  return result.rows.map((row) => ({
    chunkId: Number(row.chunk_id),
    documentTitle: row.title,
    source: row.source,
    topic: row.topic,
    text: row.text,
    score: Number(row.score),
  }));
}
