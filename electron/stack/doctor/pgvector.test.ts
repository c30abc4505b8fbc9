/**
 * The pgvector path against a real pgvector: PGlite's PostgreSQL with the pgvector extension, spoken to
 * over the wire protocol by `pg` (see testing/pgvector-server.ts). The migration, the HNSW index, the
 * embeddings written by ingest and the retrieval query are the code the app runs.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { DoctorSandbox, stepOf } from './testing/doctor-testing';
import { startPgvectorServer, type PgvectorServer } from '../db/testing/pgvector-server';
import { defaultCorpusDir, readCorpus } from '../db/rag/corpus';
import { ingestDocuments } from '../db/rag/ingest';
import { EMBEDDING_DIMENSIONS, migrateRagSchema, pgvectorState } from '../db/rag/rag-migrations';
import { searchChunks, VECTOR_SEARCH_SQL, vectorSearchParams } from '../db/rag/retrieval';

let server: PgvectorServer;
let client: pg.Client;
const sandbox = new DoctorSandbox();

beforeAll(async () => {
  server = await startPgvectorServer();
  client = new pg.Client(server.url);
  await client.connect();
}, 120_000);
afterAll(async () => {
  sandbox.dispose();
  await client?.end().catch(() => undefined);
  await server?.dispose();
});

const QUESTIONS: readonly [question: string, topic: string, title: RegExp][] = [
  ['why does my connection pool run out of clients?', 'databases', /pool/i],
  ['how should I handle a 429 with retry-after?', 'rate-limits', /429|retry-after/i],
  ['my event loop is blocked by JSON parsing', 'concurrency', /event loop/i],
  ['how big should document chunks be for retrieval?', 'llm-agents', /chunk/i],
  ['token bucket rate limiter', 'rate-limits', /token bucket/i],
];

describe('pgvector path (PGlite + pgvector over the wire protocol)', () => {
  it('the doctor sees pgvector installed but not enabled before the first start', async () => {
    expect(await pgvectorState(client)).toBe('available');
    const report = await sandbox.diagnose({ url: server.url });
    expect(stepOf(report, 'extensions')).toMatchObject({ status: 'pass' });
    expect(stepOf(report, 'extensions').detail).toMatch(/^pgvector available: Bulkhead enables it at start/);
  });

  it('migration 2 enables the extension, adds vector(256) and an HNSW cosine index, once', async () => {
    const first = await migrateRagSchema(client, silentLogger);
    expect(first).toEqual({ version: 2, pgvector: 'enabled' });
    expect(await migrateRagSchema(client, silentLogger)).toEqual(first);
    const applied = await client.query<{ version: number }>('SELECT version FROM rag_schema_migrations ORDER BY version');
    expect(applied.rows.map((r) => r.version)).toEqual([1, 2]);
    const column = await client.query<{ type: string }>(
      "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'rag_chunks'::regclass AND attname = 'embedding'",
    );
    expect(column.rows[0]?.type).toBe(`vector(${EMBEDDING_DIMENSIONS})`);
    const index = await client.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'rag_chunks_embedding'");
    expect(index.rows[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
  });

  it('the doctor then reports pgvector enabled, with its version', async () => {
    const report = await sandbox.diagnose({ url: server.url });
    expect(stepOf(report, 'extensions')).toMatchObject({ status: 'pass' });
    expect(stepOf(report, 'extensions').detail).toMatch(/^pgvector \d+\.\d+\.\d+ enabled: retrieval by vector distance/);
  });

  it('ingest writes an embedding for every chunk of the sample corpus', async () => {
    const corpus = readCorpus(defaultCorpusDir()!);
    const result = await ingestDocuments(client, corpus, { withEmbeddings: true });
    expect(result).toMatchObject({ added: corpus.length, removed: 0 });
    const counts = (await client.query<{ all: number; embedded: number; norm_off: number }>(
      `SELECT count(*)::int AS all, count(embedding)::int AS embedded,
              count(*) FILTER (WHERE embedding IS NOT NULL AND abs(vector_norm(embedding) - 1) > 1e-3)::int AS norm_off
       FROM rag_chunks`,
    )).rows[0];
    expect(counts?.all).toBe(result.chunks);
    expect(counts?.embedded).toBe(result.chunks);
    expect(counts?.norm_off).toBe(0); // unit vectors: cosine distance is meaningful
  }, 120_000);

  it.each(QUESTIONS)('vector retrieval ranks a document about the topic first for "%s"', async (question, topic, title) => {
    const results = await searchChunks(client, question, 5, 'vector');
    expect(results).toHaveLength(5);
    expect(results[0]?.topic).toBe(topic);
    expect(results[0]?.documentTitle).toMatch(title);
    const scores = results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(0);
  });

  it('the retrieval query is served by the HNSW index, and agrees with an exact scan on the top hits', async () => {
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${VECTOR_SEARCH_SQL}`, vectorSearchParams(QUESTIONS[0]![0], 5));
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using rag_chunks_embedding/);
    for (const [question] of QUESTIONS) {
      const viaIndex = (await searchChunks(client, question, 5, 'vector')).map((r) => r.chunkId);
      // Exact: the same query with index scans off, inside a transaction so the setting stays local.
      await client.query('BEGIN');
      let exact: number[];
      try {
        await client.query('SET LOCAL enable_indexscan = off');
        exact = (await searchChunks(client, question, 5, 'vector')).map((r) => r.chunkId);
      } finally {
        await client.query('ROLLBACK');
      }
      expect(viaIndex[0], question).toBe(exact[0]);
      expect(viaIndex.filter((id) => exact.includes(id)).length, question).toBeGreaterThanOrEqual(4);
    }
  });

  it('a pool sized to the server answers concurrent retrievals correctly', async () => {
    // Every connected client takes one of the server's slots (this file's own client among them); a
    // client past the limit is dropped, so the pool gets exactly the slots that are free.
    const free = server.maxConnections - server.activeConnections();
    expect(free).toBeGreaterThanOrEqual(2);
    const pool = new pg.Pool({ connectionString: server.url, max: free });
    pool.on('error', () => undefined);
    try {
      const rounds = await Promise.all(
        Array.from({ length: 4 }, () =>
          Promise.all(
            QUESTIONS.map(async ([question]) => {
              const pooled = await pool.connect();
              try {
                return (await searchChunks(pooled, question, 1, 'vector'))[0]?.topic;
              } finally {
                pooled.release();
              }
            }),
          ),
        ),
      );
      for (const round of rounds) expect(round).toEqual(QUESTIONS.map(([, topic]) => topic));
    } finally {
      await pool.end();
    }
  });
});
