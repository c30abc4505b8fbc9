import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { StatCard } from '../../components/StatCard';
import { AttachedProcessesCard } from '../attach/AttachedProcessesCard';
import { ProcessFilter } from '../attach/ProcessFilter';
import { primitiveKey } from '../attach/process-filter';
import { AdaptiveLimitsCard } from './AdaptiveLimitsCard';
import { DemoLoadControl } from './DemoLoadControl';
import { SemaphoreRow } from './SemaphoreRow';
import { formatMs } from './concurrency-format';
import { useSemaphoresPage } from './use-semaphores-page';
import { WorkerPoolsTable } from './WorkerPoolsTable';
import './concurrency.css';

/** Every registered semaphore and worker pool, live: who holds permits, who waits, for how long. */
export function SemaphoresPage() {
  const { snapshot, history, semaphores, pools, inUse, permits, waiting, worstWait, longHolders, empty, error, attached, processFilter } = useSemaphoresPage();

  return (
    <section className="page" data-page="semaphores" data-ready={snapshot ? 'true' : undefined}>
      <PageHeader
        title="Semaphores"
        subtitle="Bounded concurrency in the stack, four times a second. Callers queue first come, first served; a permit held past its threshold is listed with the label of whoever holds it. Wait and hold times are the last 10–20 s."
        actions={
          <>
            <ProcessFilter processes={attached?.processes ?? []} value={processFilter.filter} onChange={processFilter.setFilter} />
            <DemoLoadControl status={snapshot?.demo ?? null} now={snapshot?.t ?? 0} />
          </>
        }
      />
      <AttachedProcessesCard list={attached} />
      {error ? <ErrorNotice error={error} /> : null}
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
                <SemaphoreRow key={primitiveKey('semaphore', s)} semaphore={s} history={history} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <AdaptiveLimitsCard semaphores={semaphores} now={snapshot?.t ?? 0} />
      {pools.length > 0 ? <WorkerPoolsTable pools={pools} history={history} /> : null}
    </section>
  );
}
