import type { RunProgress } from '../../../../shared/contract';
import { StatCard } from '../../components/StatCard';
import { formatMs, formatSeconds, totalErrors } from './run-format';

/** The run going now: its progress bar and seven live numbers. */
export function RunProgressCard({ progress }: { progress: RunProgress }) {
  const errors = totalErrors(progress.errors);
  const fraction = progress.plannedMs > 0 ? Math.min(1, progress.elapsedMs / progress.plannedMs) : 0;
  return (
    <>
      <div className="card run-progress" data-testid="run-progress">
        <div className="run-progress-head">
          <strong>
            {progress.profile} · {progress.mode}
          </strong>
          <span className="muted">
            {progress.phase === 'preparing' ? 'preparing the database and the provider…' : `${formatSeconds(progress.elapsedMs)} of ${formatSeconds(progress.plannedMs)}${progress.phase === 'finishing' ? ' — waiting for the last answers' : ''}`}
          </span>
          <span className="muted mono">{progress.runId}</span>
        </div>
        <div className="progress" role="progressbar" aria-label="run progress" aria-valuenow={Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${fraction * 100}%` }} />
        </div>
      </div>
      <div className="stat-row stat-row-7">
        <StatCard label="Arrival rate" value={`${progress.achievedRate} / ${progress.targetRate.toFixed(0)} /s`} hint="started last second / planned now" testId="stat-rate" />
        <StatCard label="Latency p95" value={formatMs(progress.latencyMs.p95)} hint={`p50 ${formatMs(progress.latencyMs.p50)} · p99 ${formatMs(progress.latencyMs.p99)}`} testId="stat-p95" />
        <StatCard label="Completed" value={progress.requests.completed.toLocaleString()} hint={`of ${progress.requests.planned.toLocaleString()} planned · ${progress.requests.inFlight} in flight`} testId="stat-completed" />
        <StatCard label="Failed" value={errors.toLocaleString()} tone={failedTone(progress.errors)} hint={topErrors(progress.errors)} testId="stat-failed" />
        <StatCard label="Dropped / late" value={`${progress.requests.dropped} / ${progress.requests.late}`} tone={progress.requests.dropped > 0 ? 'warn' : 'neutral'} hint="no free slot / started > 20 ms late" testId="stat-dropped" />
        <StatCard label="HTTP 429" value={progress.http429.toLocaleString()} tone={progress.http429 > 0 ? 'warn' : 'ok'} hint="provider rate-limit answers" testId="stat-429" />
        <StatCard label="DB connections" value={progress.dbConnections === null ? '—' : String(progress.dbConnections)} hint="server side (pg_stat_activity)" testId="stat-db" />
      </div>
    </>
  );
}

/** Shed requests are governance working (failed fast on purpose): amber; anything else red. */
function failedTone(errors: Record<string, number>): 'ok' | 'warn' | 'bad' {
  const kinds = Object.keys(errors).filter((kind) => (errors[kind] ?? 0) > 0);
  if (kinds.length === 0) return 'ok';
  return kinds.every((kind) => kind.startsWith('shed_') || kind === 'aborted') ? 'warn' : 'bad';
}

function topErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return entries.length === 0 ? 'none' : entries.map(([kind, n]) => `${kind} ${n}`).join(' · ');
}
