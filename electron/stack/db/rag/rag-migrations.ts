import type pg from 'pg';
import type { Logger } from '../../log/logger';
import { classifyPgError } from '../pg-error';

/** Dimensions of the hashing embedder's vectors (see hashing-embedder.ts). */
export const EMBEDDING_DIMENSIONS = 256;

export type PgvectorState = 'enabled' | 'available' | 'missing';

interface RagMigration {
  readonly version: number;
  readonly name: string;
  /** Runs only when pgvector can be enabled; otherwise left pending and tried again at the next start. */
  readonly needsPgvector?: boolean;
  readonly sql: string;
}

/**
 * The RAG schema, in order. Tables are prefixed `rag_` so they can live in a database the user also
 * uses for other things. Never edit a released migration: add the next one.
 */
const MIGRATIONS: readonly RagMigration[] = [
  {
    version: 1,
    name: 'documents and chunks with full-text search',
    sql: `
      CREATE TABLE rag_documents (
        id bigserial PRIMARY KEY,
        source text NOT NULL UNIQUE,
        title text NOT NULL,
        topic text NOT NULL,
        body text NOT NULL,
        content_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE rag_chunks (
        id bigserial PRIMARY KEY,
        document_id bigint NOT NULL REFERENCES rag_documents (id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        heading text NOT NULL,
        text text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', heading), 'A') || setweight(to_tsvector('english', text), 'B')
        ) STORED,
        UNIQUE (document_id, ordinal)
      );
      CREATE INDEX rag_chunks_tsv ON rag_chunks USING gin (tsv);`,
  },
  {
    version: 2,
    name: 'pgvector embeddings with an HNSW index',
    needsPgvector: true,
    sql: `
      CREATE EXTENSION IF NOT EXISTS vector;
      ALTER TABLE rag_chunks ADD COLUMN embedding vector(${EMBEDDING_DIMENSIONS});
      CREATE INDEX rag_chunks_embedding ON rag_chunks USING hnsw (embedding vector_cosine_ops);`,
  },
];

export interface RagSchemaState {
  readonly version: number;
  readonly pgvector: PgvectorState;
}

/**
 * Brings the RAG schema up to date on one client, inside a transaction holding an advisory lock, so two
 * Bulkheads starting against one database cannot both migrate. The pgvector migration runs only where
 * the extension is installed on the server and can be enabled by this user.
 */
export async function migrateRagSchema(client: pg.ClientBase, log: Logger, begin = 'BEGIN'): Promise<RagSchemaState> {
  await client.query(begin);
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('bulkhead.rag_schema'))");
    await client.query(`CREATE TABLE IF NOT EXISTS rag_schema_migrations (
      version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM rag_schema_migrations')).rows.map((row) => row.version));
    let pgvector = await pgvectorState(client);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      if (migration.needsPgvector) {
        if (pgvector === 'missing') continue;
        const ok = await trySavepoint(client, migration.sql, log, migration.name);
        if (!ok) continue;
        pgvector = 'enabled';
      } else {
        await client.query(migration.sql);
      }
      await client.query('INSERT INTO rag_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.add(migration.version);
      log.info(`RAG schema: applied migration ${migration.version} (${migration.name})`);
    }
    await client.query('COMMIT');
    return { version: Math.max(0, ...applied), pgvector: applied.has(2) ? 'enabled' : pgvector };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `enabled` in this database, `available` on the server (pg_available_extensions), or `missing`. */
export async function pgvectorState(client: pg.ClientBase): Promise<PgvectorState> {
  const result = await client.query<{ installed: boolean; enabled: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS installed,
            EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS enabled`,
  );
  const row = result.rows[0];
  if (row?.enabled) return 'enabled';
  return row?.installed ? 'available' : 'missing';
}

async function trySavepoint(client: pg.ClientBase, sql: string, log: Logger, name: string): Promise<boolean> {
  await client.query('SAVEPOINT optional_migration');
  try {
    await client.query(sql);
    await client.query('RELEASE SAVEPOINT optional_migration');
    return true;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT optional_migration');
    const info = classifyPgError(error);
    log.warn(`RAG schema: skipped "${name}" (${info.code}: ${info.message}); retrieval uses full-text search. ${info.code === '42501' ? 'Ask a superuser to run CREATE EXTENSION vector in this database.' : ''}`);
    return false;
  }
}
