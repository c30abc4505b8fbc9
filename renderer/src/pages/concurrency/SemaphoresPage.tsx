import type { SemaphoreSnapshot } from '../../../../shared/contract';
import { PageHeader } from '../../components/PageHeader';
import { Sparkline } from '../../components/Sparkline';
import { StatCard } from '../../components/StatCard';
import { useConcurrency, type SparkHistory } from '../../hooks/use-concurrency';
import { DemoLoadControl } from './DemoLoadControl';
import { formatCount, formatMs, formatRate } from './concurrency-format';
import { WorkerPoolsTable } from './WorkerPoolsTable';
import './concurrency.css';

/** Every registered semaphore and worker pool, live: who holds permits, who waits, for how long. */
export function SemaphoresPage() {
  const { snapshot, history } = useConcurrency();
  const semaphores = snapshot?.semaphores ?? [];
  const pools = snapshot?.workerPools ?? [];
  const inUse = semaphores.reduce((sum, s) => sum + s.inUse, 0);
  const permits = semaphores.reduce((sum, s) => sum + s.permits, 0);
  const waiting = semaphores.reduce((sum, s) => sum + s.waiting, 0);
  const worstWait = semaphores.reduce((max, s) => Math.max(max, s.waitMs.p99), 0);
  const longHolders = semaphores.reduce((sum, s) => sum + s.longHolderCount, 0);
  const empty = snapshot !== null && semaphores.length === 0 && pools.length === 0;

  return (
    <section className="page" data-page="semaphores" data-ready={snapshot ? 'true' : undefined}>
      <PageHeader
        title="Semaphores"
        subtitle="Bounded concurrency in the stack, four times a second. Callers queue first come, first served; a permit held past its threshold is listed with the label of whoever holds it. Wait and hold times are the last 10–20 s."
        actions={<DemoLoadControl status={snapshot?.demo ?? null} now={snapshot?.t ?? 0} />}
      />
      {empty ? (
        <div className="notice notice-warn" role="status" data-testid="semaphores-empty">
          <strong>No semaphore or worker pool is registered right now.</strong>
          <div className="notice-remedy">They appear while something uses them: a governed stress run (its agent semaphore and chunking pool), or the demo load (Start demo load, above).</div>
        </div>
      ) : null}
      <div className="stat-row">
        <StatCard label="Permits in use" value={snapshot ? `${inUse} / ${permits}` : '—'} hint={`${semaphores.length} semaphore${semaphores.length === 1 ? '' : 's'}`} testId="stat-sem-in-use" />
        <StatCard label="Waiting" value={snapshot ? String(waiting) : '—'} tone={!snapshot ? 'neutral' : waiting > 0 ? 'warn' : 'ok'} hint="callers queued for a permit" testId="stat-sem-waiting" />
        <StatCard label="Worst wait p99" value={snapshot ? formatMs(worstWait) : '—'} tone={worstWait > 1000 ? 'bad' : worstWait > 100 ? 'warn' : 'neutral'} hint="across semaphores, recent" testId="stat-sem-wait" />
        <StatCard label="Long holders" value={snapshot ? String(longHolders) : '—'} tone={longHolders > 0 ? 'warn' : 'neutral'} hint="permits held past their threshold" testId="stat-sem-long" />
      </div>
      {semaphores.length > 0 ? (
        <div className="card table-card">
          <table className="data" data-testid="semaphores-table">
            <thead>
              <tr>
                <th>Semaphore</th>
                <th className="num">Permits</th>
                <th>In use</th>
                <th className="num">Waiting</th>
                <th className="num">Acquired/s</th>
                <th className="num">Wait p50 / p99</th>
                <th className="num">Hold p99</th>
                <th className="num" title="timed out · aborted · refused (queue full)">Timeout · abort · full</th>
                <th>Long holders</th>
                <th>Last minute</th>
              </tr>
            </thead>
            <tbody>
              {semaphores.map((s) => (
                <SemaphoreRow key={s.name} semaphore={s} history={history} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pools.length > 0 ? <WorkerPoolsTable pools={pools} history={history} /> : null}
    </section>
  );
}

function SemaphoreRow({ semaphore: s, history }: { semaphore: SemaphoreSnapshot; history: SparkHistory }) {
  const [inUse = [], waiting = []] = history.get(`semaphore:${s.name}`);
  const share = s.permits > 0 ? Math.min(1, s.inUse / s.permits) : 0;
  return (
    <tr data-testid={`semaphore-${s.name}`}>
      <td className="mono">{s.name}</td>
      <td className="num">{s.permits}</td>
      <td>
        <div className="meter" title={`${s.inUse} of ${s.permits} permits in use`}>
          <div className="meter-bar">
            <div className={share >= 1 ? 'meter-full' : undefined} style={{ width: `${share * 100}%` }} />
          </div>
          <span className="meter-label">{s.inUse}</span>
        </div>
      </td>
      <td className="num">
        <span className={s.waiting > 0 ? 'text-warn' : undefined}>{s.waiting}</span>
        <span className="muted"> (max {s.maxWaitingSeen}{s.maxWaiting !== null ? ` of ${s.maxWaiting}` : ''})</span>
      </td>
      <td className="num">{formatRate(s.acquiredPerSec)}</td>
      <td className="num">
        {formatMs(s.waitMs.p50)} / <strong>{formatMs(s.waitMs.p99)}</strong>
      </td>
      <td className="num">{formatMs(s.holdMs.p99)}</td>
      <td className="num">
        {formatCount(s.timeouts)} · {formatCount(s.aborts)} · {formatCount(s.rejected)}
      </td>
      <td>
        {s.longHolders.length === 0 ? (
          <span className="muted">none over {formatMs(s.longHoldThresholdMs)}</span>
        ) : (
          <ul className="holders">
            {s.longHolders.slice(0, 3).map((holder, index) => (
              <li key={`${holder.label}-${index}`}>
                <span className="mono">{holder.label}</span> <span className="badge badge-warn">{formatMs(holder.ageMs)}</span>
              </li>
            ))}
            {s.longHolderCount > 3 ? <li className="muted">+{s.longHolderCount - 3} more</li> : null}
          </ul>
        )}
      </td>
      <td>
        <Sparkline
          max={Math.max(s.permits, ...waiting)}
          series={[
            { label: 'in use', values: inUse, color: '#5eead4', fill: true },
            { label: 'waiting', values: waiting, color: '#fbbf24' },
          ]}
          testId={`spark-${s.name}`}
        />
      </td>
    </tr>
  );
}
