import { useAttachedProcesses } from '../../hooks/use-attached-processes';
import { useConcurrency } from '../../hooks/use-concurrency';
import { useProcessFilter } from '../attach/process-filter';

/** The Limiters page's state: the live snapshot's limiters and the totals its stat cards show. */
export function useLimitersPage() {
  const { snapshot, history, error } = useConcurrency();
  const attached = useAttachedProcesses();
  const processFilter = useProcessFilter();
  const limiters = processFilter.apply(snapshot?.limiters ?? []);
  // Totals are of what is live now: a disconnected process's last-known limiters are listed, not counted.
  const live = limiters.filter((l) => l.process?.connected !== false);
  const now = snapshot?.t ?? 0;
  return {
    attached,
    processFilter,
    snapshot,
    history,
    error,
    limiters,
    now,
    admitted: live.reduce((sum, l) => sum + l.admittedPerSec, 0),
    queued: live.reduce((sum, l) => sum + l.queued, 0),
    http429: live.reduce((sum, l) => sum + l.http429, 0),
    paused: live.filter((l) => l.pausedUntil !== null && l.pausedUntil > now).length,
    /** Pauses since the limiters started: a pause lasts about a second, so "now" alone mostly reads 0. */
    pauses: live.reduce((sum, l) => sum + l.pauses, 0),
  };
}
