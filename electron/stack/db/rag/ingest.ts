import type pg from 'pg';
import { chunkDocument } from './chunker';
import type { CorpusDocument } from './corpus';
import { embedText, toVectorLiteral } from './hashing-embedder';

export interface IngestResult {
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  chunks: number;
  ms: number;
}

/**
 * Loads documents into rag_documents/rag_chunks in one transaction. Idempotent: a document whose
 * content hash is unchanged is skipped, a changed one gets its chunks replaced, and corpus documents
 * that are no longer on disk are deleted (documents from other sources are left alone).
 */
export async function ingestDocuments(
  client: pg.ClientBase,
  documents: readonly CorpusDocument[],
  options: { withEmbeddings: boolean; sourcePrefix?: string; /** the pool's transaction start (transactionStart) */ begin?: string },
): Promise<IngestResult> {
  const started = performance.now();
  const prefix = options.sourcePrefix ?? 'corpus/';
  const result: IngestResult = { added: 0, updated: 0, unchanged: 0, removed: 0, chunks: 0, ms: 0 };
  await client.query(options.begin ?? 'BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('bulkhead.rag_ingest'))");
    const existing = new Map((await client.query<{ source: string; content_hash: string }>('SELECT source, content_hash FROM rag_documents WHERE starts_with(source, $1)', [prefix])).rows.map((row) => [row.source, row.content_hash]));
    for (const document of documents) {
      const known = existing.get(document.source);
      if (known === document.contentHash) {
        result.unchanged += 1;
        continue;
      }
      const upsert = await client.query<{ id: string }>(
        `INSERT INTO rag_documents (source, title, topic, body, content_hash) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (source) DO UPDATE SET title = excluded.title, topic = excluded.topic, body = excluded.body,
           content_hash = excluded.content_hash, updated_at = now()
         RETURNING id`,
        [document.source, document.title, document.topic, document.body, document.contentHash],
      );
      const id = upsert.rows[0]!.id;
      if (known !== undefined) await client.query('DELETE FROM rag_chunks WHERE document_id = $1', [id]);
      const chunks = chunkDocument(document.body);
      const ordinals = chunks.map((_, i) => i);
      if (options.withEmbeddings) {
        await client.query(
          `INSERT INTO rag_chunks (document_id, ordinal, heading, text, embedding)
           SELECT $1, o, $2, t, e::vector FROM unnest($3::int[], $4::text[], $5::text[]) AS u(o, t, e)`,
          [id, document.title, ordinals, chunks, chunks.map((chunk) => toVectorLiteral(embedText(`${document.title} ${chunk}`)))],
        );
      } else {
        await client.query(
          `INSERT INTO rag_chunks (document_id, ordinal, heading, text)
           SELECT $1, o, $2, t FROM unnest($3::int[], $4::text[]) AS u(o, t)`,
          [id, document.title, ordinals, chunks],
        );
      }
      result.chunks += chunks.length;
      if (known === undefined) result.added += 1;
      else result.updated += 1;
    }
    const keep = documents.map((document) => document.source);
    const removed = await client.query('DELETE FROM rag_documents WHERE starts_with(source, $1) AND NOT (source = ANY($2::text[]))', [prefix, keep]);
    result.removed = removed.rowCount ?? 0;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  result.ms = performance.now() - started;
  return result;
}
