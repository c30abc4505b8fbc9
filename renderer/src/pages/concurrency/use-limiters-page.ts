import { useAttachedProcesses } from '../../hooks/use-attached-processes';
import { useConcurrency } from '../../hooks/use-concurrency';
import { useProcessFilter } from '../attach/process-filter';

/** The Limiters page's state: the live snapshot's limiters and the totals its stat cards show. */
export function useLimitersPage() {
  const { snapshot, history, error } = useConcurrency();
  const attached = useAttachedProcesses();
  const processFilter = useProcessFilter();
  const limiters = processFilter.apply(snapshot?.limiters ?? []);
  const now = snapshot?.t ?? 0;
  return {
    attached,
    processFilter,
    snapshot,
    history,
    error,
    limiters,
    now,
    admitted: limiters.reduce((sum, l) => sum + l.admittedPerSec, 0),
    queued: limiters.reduce((sum, l) => sum + l.queued, 0),
    http429: limiters.reduce((sum, l) => sum + l.http429, 0),
    paused: limiters.filter((l) => l.pausedUntil !== null && l.pausedUntil > now).length,
    /** Pauses since the limiters started: a pause lasts about a second, so "now" alone mostly reads 0. */
    pauses: limiters.reduce((sum, l) => sum + l.pauses, 0),
  };
}
