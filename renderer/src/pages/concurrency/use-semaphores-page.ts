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
  // Totals are of what is live now: a disconnected process's last-known permits are listed, not counted.
  const live = semaphores.filter((s) => s.process?.connected !== false);
  return {
    attached,
    processFilter,
    snapshot,
    history,
    error,
    semaphores,
    pools,
    inUse: live.reduce((sum, s) => sum + s.inUse, 0),
    permits: live.reduce((sum, s) => sum + s.permits, 0),
    waiting: live.reduce((sum, s) => sum + s.waiting, 0),
    worstWait: live.reduce((max, s) => Math.max(max, s.waitMs.p99), 0),
    longHolders: live.reduce((sum, s) => sum + s.longHolderCount, 0),
    empty: snapshot !== null && semaphores.length === 0 && pools.length === 0,
  };
}
