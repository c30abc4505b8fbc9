import type { DatabaseState, DoctorStepStatus, PoolSnapshot } from '../../../../shared/contract';

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const STATE_BADGE: Record<DatabaseState, string> = {
  ready: 'badge-ok',
  starting: 'badge-warn',
  retrying: 'badge-bad',
  unavailable: 'badge-bad',
  failed: 'badge-bad',
  disabled: 'badge-muted',
  stopping: 'badge-muted',
  stopped: 'badge-muted',
};

/** The headline of the Pool page's notice for a database that is not ready. */
export const STATE_NOTICE: Record<DatabaseState, string> = {
  ready: 'The database is ready',
  starting: 'The database is starting',
  retrying: 'The database cannot be reached yet',
  unavailable: 'The database is unavailable',
  failed: 'The database could not start',
  disabled: 'This stack runs without a database',
  stopping: 'The database is stopping',
  stopped: 'The database is stopped',
};

export const STATUS_BADGE: Record<DoctorStepStatus, string> = {
  pass: 'badge-ok',
  warn: 'badge-warn',
  fail: 'badge-bad',
  skip: 'badge-muted',
};

/**
 * The pool's refill in a few words, for the "Clients open" card: kept at min, refilling now, or below
 * min and backing off (with the reason), measured against the snapshot's own clock.
 */
export function describeRefill(snapshot: PoolSnapshot): { text: string; tone: 'neutral' | 'warn' | 'bad' } {
  const { counts, refill } = snapshot;
  const live = snapshot.state === 'ready' || snapshot.state === 'unavailable';
  if (!live || refill.missing === 0) return { text: `min ${counts.min} kept warm`, tone: 'neutral' };
  const level = `${counts.total}/${counts.min}`;
  const since = refill.belowMinSince !== null ? ` for ${formatMs(Math.max(0, snapshot.t - refill.belowMinSince))}` : '';
  if (refill.state === 'backing-off') {
    const wait = refill.retryAt !== null ? ` · retry in ${formatMs(Math.max(0, refill.retryAt - snapshot.t))}` : '';
    return { text: `below min ${level}${since}${wait}${refill.lastError ? ` — ${refill.lastError}` : ''}`, tone: 'bad' };
  }
  return { text: `refilling ${level}${refill.failures > 0 ? ` (attempt ${refill.failures + 1})` : ''}`, tone: 'warn' };
}
