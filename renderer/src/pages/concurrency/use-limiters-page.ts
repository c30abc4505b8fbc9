import { useConcurrency } from '../../hooks/use-concurrency';

/** The Limiters page's state: the live snapshot's limiters and the totals its stat cards show. */
export function useLimitersPage() {
  const { snapshot, history, error } = useConcurrency();
  const limiters = snapshot?.limiters ?? [];
  const now = snapshot?.t ?? 0;
  return {
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
