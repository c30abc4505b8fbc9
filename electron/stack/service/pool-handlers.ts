import type { RagDatabase } from '../db/rag-database';
import { BulkheadError } from '../errors';
import type { HandlersFor } from './handlers';

/** pool.* and rag.*: read-only views of the RAG database, plus a search through the pool. */
export function createPoolHandlers(database: RagDatabase): HandlersFor<'pool.snapshot' | 'pool.settings' | 'rag.status' | 'rag.search'> {
  return {
    'pool.snapshot': () => database.snapshot(),
    'pool.settings': () => database.settingsInfo(),
    'rag.status': () => database.ragStatus(),
    'rag.search': async ({ query, k }) => {
      const ready = database.ready;
      if (!ready) {
        throw new BulkheadError('DB_NOT_READY', `The RAG database is ${database.state}: ${database.stateDetail}`, {
          remedy: database.state === 'starting' ? 'Wait a moment: it is starting.' : 'Open the Doctor page and run "Diagnose RAG connection".',
        });
      }
      const started = performance.now();
      const results = await ready.search(query, k, { label: 'panel:rag.search' });
      return { mode: ready.retrieval, ms: performance.now() - started, results };
    },
  };
}
