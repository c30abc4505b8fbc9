/**
 * Worker-pool tasks of the agents (run in worker threads, see concurrency/worker-pool): chunking is CPU
 * work that would stall the event loop under load, so governed ingest does it here.
 */
import { chunkDocument } from '../db/rag/chunker';

export const tasks = {
  chunk: (payload: { body: string; maxChars?: number }): string[] => chunkDocument(payload.body, payload.maxChars),
};
