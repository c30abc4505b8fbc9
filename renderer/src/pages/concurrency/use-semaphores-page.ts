import { useAttachedProcesses } from '../../hooks/use-attached-processes';
import { useConcurrency } from '../../hooks/use-concurrency';
import { useProcessFilter } from '../attach/process-filter';

/** The Semaphores page's state: the live snapshot's semaphores and worker pools (of the chosen process), the attached processes, and the totals its cards show. */
export function useSemaphoresPage() {
  const { snapshot, history, error } = useConcurrency();
  const attached = useAttachedProcesses();
  const processFilter = useProcessFilter();
  const semaphores = processFilter.apply(snapshot?.semaphores ?? []);
  const pools = processFilter.apply(snapshot?.workerPools ?? []);
  return {
    attached,
    processFilter,
    snapshot,
    history,
    error,
    semaphores,
    pools,
    inUse: semaphores.reduce((sum, s) => sum + s.inUse, 0),
    permits: semaphores.reduce((sum, s) => sum + s.permits, 0),
    waiting: semaphores.reduce((sum, s) => sum + s.waiting, 0),
    worstWait: semaphores.reduce((max, s) => Math.max(max, s.waitMs.p99), 0),
    longHolders: semaphores.reduce((sum, s) => sum + s.longHolderCount, 0),
    empty: snapshot !== null && semaphores.length === 0 && pools.length === 0,
  };
}
