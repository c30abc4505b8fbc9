import { z } from 'zod';
import { defineMethods } from './define';

export const RetrievalModeSchema = z.enum(['full-text', 'vector']);
export type RetrievalMode = z.infer<typeof RetrievalModeSchema>;

export const RagStatusSchema = z.object({
  ready: z.boolean(),
  documents: z.number().int(),
  chunks: z.number().int(),
  retrieval: RetrievalModeSchema,
  pgvector: z.enum(['enabled', 'available', 'missing']),
  schemaVersion: z.number().int(),
  lastIngest: z
    .object({
      at: z.number(),
      added: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      removed: z.number().int(),
      ms: z.number(),
    })
    .nullable(),
});
export type RagStatus = z.infer<typeof RagStatusSchema>;

export const RetrievedChunkSchema = z.object({
  chunkId: z.number().int(),
  documentTitle: z.string(),
  source: z.string(),
  topic: z.string(),
  text: z.string(),
  score: z.number(),
});
export type RetrievedChunk = z.infer<typeof RetrievedChunkSchema>;

export const ragMethods = defineMethods({
  'rag.status': {
    description: 'The RAG corpus in the database: documents, chunks, retrieval mode, pgvector.',
    params: z.object({}).strict(),
    result: RagStatusSchema,
  },
  'rag.search': {
    description: 'Top-k chunks for a question, through the pool (full-text rank, or vector distance with pgvector).',
    params: z
      .object({
        query: z.string().min(1).max(2000),
        k: z.number().int().min(1).max(50).default(5),
      })
      .strict(),
    result: z.object({ mode: RetrievalModeSchema, ms: z.number(), results: z.array(RetrievedChunkSchema) }),
  },
});
