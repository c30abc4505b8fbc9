import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger';
import { useTestDatabase } from '../testing/test-database';
import { chunkDocument } from './chunker';
import { defaultCorpusDir, readCorpus } from './corpus';
import { ingestDocuments } from './ingest';
import { migrateRagSchema } from './rag-migrations';
import { searchChunks } from './retrieval';

const db = useTestDatabase('rag');
let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client(db.url);
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe('RAG schema, corpus and retrieval', () => {
  it('migrates once, and again without changes', async () => {
    const first = await migrateRagSchema(client, silentLogger);
    const second = await migrateRagSchema(client, silentLogger);
    expect(first.version).toBeGreaterThanOrEqual(1);
    expect(second).toEqual(first);
    const indexes = await client.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'rag_chunks'");
    expect(indexes.rows.map((r) => r.indexname)).toContain('rag_chunks_tsv');
  });

  it('ingests the shipped corpus idempotently: a second ingest changes nothing', async () => {
    const corpus = readCorpus(defaultCorpusDir()!);
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((d) => d.topic))).toEqual(new Set(['concurrency', 'databases', 'rate-limits', 'llm-agents']));
    const first = await ingestDocuments(client, corpus, { withEmbeddings: false });
    expect(first).toMatchObject({ added: corpus.length, updated: 0, unchanged: 0, removed: 0 });
    const again = await ingestDocuments(client, corpus, { withEmbeddings: false });
    expect(again).toMatchObject({ added: 0, updated: 0, unchanged: corpus.length, removed: 0, chunks: 0 });
    const counts = (await client.query<{ d: string; c: string }>('SELECT (SELECT count(*) FROM rag_documents) AS d, (SELECT count(*) FROM rag_chunks) AS c')).rows[0];
    expect(Number(counts?.d)).toBe(corpus.length);
    expect(Number(counts?.c)).toBeGreaterThanOrEqual(corpus.length);
  });

  it('re-chunks changed documents and deletes ones removed from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-corpus-'));
    try {
      cpSync(defaultCorpusDir()!, dir, { recursive: true });
      const [first, second] = readCorpus(dir);
      writeFileSync(join(dir, first!.source.replace('corpus/', '')), `# ${first!.title}\n\nRewritten body about the pgbouncer transaction mode.\n`);
      unlinkSync(join(dir, second!.source.replace('corpus/', '')));
      const result = await ingestDocuments(client, readCorpus(dir), { withEmbeddings: false });
      expect(result).toMatchObject({ added: 0, updated: 1, removed: 1 });
      const chunks = await client.query<{ text: string }>('SELECT c.text FROM rag_chunks c JOIN rag_documents d ON d.id = c.document_id WHERE d.source = $1', [first!.source]);
      expect(chunks.rows.map((r) => r.text)).toEqual(['Rewritten body about the pgbouncer transaction mode.']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['why does my connection pool run out of clients?', 'databases', /pool|client/i],
    ['how should I handle a 429 with retry-after?', 'rate-limits', /429|retry/i],
    ['my event loop is blocked by JSON parsing', 'concurrency', /event loop|event-loop/i],
    ['how big should document chunks be for retrieval?', 'llm-agents', /chunk/i],
  ])('finds sensible chunks for "%s"', async (question, topic, pattern) => {
    const results = await searchChunks(client, question, 5, 'full-text');
    expect(results).toHaveLength(5);
    expect(results[0]?.topic).toBe(topic);
    expect(`${results[0]?.documentTitle} ${results[0]?.text}`).toMatch(pattern);
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('returns nothing rather than failing for a question of stop words only', async () => {
    expect(await searchChunks(client, 'what is the', 5, 'full-text')).toEqual([]);
  });
});

describe('chunker', () => {
  it('keeps paragraphs whole and splits long ones at sentence ends', () => {
    const long = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} is here.`).join(' ');
    const chunks = chunkDocument(`# Title\n\nShort one.\n\nShort two.\n\n${long}`, 200);
    expect(chunks[0]).toBe('Short one.\nShort two.');
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(200);
      expect(chunk).not.toMatch(/^# /);
    }
    expect(chunks.slice(1).join(' ')).toBe(long);
  });
});
