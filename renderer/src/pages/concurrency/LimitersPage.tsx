import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { StatCard } from '../../components/StatCard';
import { ProcessFilter } from '../attach/ProcessFilter';
import { primitiveKey } from '../attach/process-filter';
import { DemoLoadControl } from './DemoLoadControl';
import { LimiterRow } from './LimiterRow';
import { formatCount, formatRate } from './concurrency-format';
import { useLimitersPage } from './use-limiters-page';
import './concurrency.css';

/** Every registered rate limiter, live: tokens left per bucket, admissions, queues, 429s and pauses. */
export function LimitersPage() {
  const page = useLimitersPage();
  const { snapshot, limiters, now } = page;

  return (
    <section className="page" data-page="limiters" data-ready={snapshot ? 'true' : undefined}>
      <PageHeader
        title="Limiters"
        subtitle="Rate limiters in the stack. Provider limiters learn their limits from response headers, pause every caller when the provider answers 429 (for as long as it asks) and back off on 529; the one retry loop counts its retries here."
        actions={
          <>
            <ProcessFilter processes={page.attached?.processes ?? []} value={page.processFilter.filter} onChange={page.processFilter.setFilter} />
            <DemoLoadControl status={snapshot?.demo ?? null} now={now} />
          </>
        }
      />
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {snapshot !== null && limiters.length === 0 ? (
        <div className="notice notice-warn" role="status" data-testid="limiters-empty">
          <strong>No limiter is registered right now.</strong>
          <div className="notice-remedy">Provider limiters appear during governed stress runs; the demo load shows every kind.</div>
        </div>
      ) : null}
      <div className="stat-row">
        <StatCard label="Admitted / s" value={snapshot ? formatRate(page.admitted) : '—'} hint={`${limiters.length} limiter${limiters.length === 1 ? '' : 's'}`} testId="stat-lim-admitted" />
        <StatCard label="Queued" value={snapshot ? String(page.queued) : '—'} tone={page.queued > 0 ? 'warn' : 'neutral'} hint="callers waiting for tokens" testId="stat-lim-queued" />
        <StatCard label="429s seen" value={snapshot ? formatCount(page.http429) : '—'} tone={page.http429 > 0 ? 'warn' : 'ok'} hint="since each limiter started" testId="stat-lim-429" />
        <StatCard
          label="Paused now"
          value={snapshot ? String(page.paused) : '—'}
          tone={page.paused > 0 ? 'bad' : page.pauses > 0 ? 'warn' : 'ok'}
          hint={`${formatCount(page.pauses)} pause${page.pauses === 1 ? '' : 's'} since start (429 or 529)`}
          testId="stat-lim-paused"
        />
      </div>
      {limiters.length > 0 ? (
        <div className="card table-card">
          <table className="data" data-testid="limiters-table">
            <thead>
              <tr>
                <th>Limiter</th>
                <th>Available per bucket</th>
                <th className="num">Admitted/s</th>
                <th className="num">Queued</th>
                <th className="num" title="admissions that had to wait for tokens, since the limiter started">Had to wait</th>
                <th className="num" title="99th percentile of those waits, recent">Wait p99</th>
                <th className="num" title="HTTP 429 · HTTP 529 · retries by the retry loop">429 · 529 · retries</th>
                <th>Next reset</th>
                <th>Paused until</th>
                <th>Trend</th>
              </tr>
            </thead>
            <tbody>
              {limiters.map((l) => (
                <LimiterRow key={primitiveKey('limiter', l)} limiter={l} now={now} history={page.history} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
