import type { poolMethods } from '../../../shared/contract/pool';
import type { ragMethods } from '../../../shared/contract/rag';
import { BulkheadError } from '../errors';
import type { EventHub } from '../events/event-hub';
import type { Monitor } from '../monitor/monitor';
import type { Feature, HandlersOf } from '../service/feature';
import type { RagDatabase } from './rag-database';

/** What the pool feature uses; the stack passes its core. */
export interface PoolFeatureCore {
  readonly database: RagDatabase;
  readonly monitor: Monitor;
  readonly hub: EventHub;
}

/**
 * pool.* and rag.*: read-only views of the RAG database, plus a search through the pool; the pool's
 * snapshot goes to the panel on every monitor tick.
 */
export function setupPool({ database, monitor, hub }: PoolFeatureCore): Feature<HandlersOf<typeof poolMethods & typeof ragMethods>> {
  const stopSnapshots = monitor.onTick(() => hub.publish('pool.snapshot', database.snapshot()));
  return {
    dispose: stopSnapshots,
    handlers: {
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
    },
  };
}
