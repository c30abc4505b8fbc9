import type { PgbouncerView } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useCall } from '../../hooks/use-call';

type AdminRow = Extract<PgbouncerView, { state: 'ok' }>['pools'][number];

/** Columns worth a glance: who waits, how many server connections, how long the wait is. */
const POOL_COLUMNS = ['database', 'user', 'pool_mode', 'cl_active', 'cl_waiting', 'sv_active', 'sv_idle', 'sv_used', 'maxwait'] as const;
const STATS_COLUMNS = ['database', 'total_xact_count', 'total_query_count', 'avg_xact_time', 'avg_query_time', 'avg_wait_time'] as const;

/**
 * PgBouncer's own view of its pools (SHOW POOLS, SHOW STATS), read from its admin console when
 * BULKHEAD_PGBOUNCER_ADMIN_URL is set. With a bouncer in front, "server connections" elsewhere on this
 * page are the bouncer's server connections; these tables say how many clients share them.
 */
export function PgbouncerCard() {
  const view = useCall('pool.pgbouncer', {});
  const data = view.data;
  return (
    <section className="card pgbouncer-card" data-testid="pgbouncer-card" data-state={data?.state ?? 'loading'} aria-labelledby="pgbouncer-title">
      <h2 id="pgbouncer-title">
        PgBouncer{' '}
        <button type="button" onClick={view.reload} disabled={view.loading} data-testid="pgbouncer-refresh">
          Refresh
        </button>
      </h2>
      {view.error ? <ErrorNotice error={view.error} /> : null}
      {data?.state === 'not-configured' ? (
        <p className="muted">
          Behind a PgBouncer? Set <code>{data.variable}</code> to its admin console (<code>postgres://user:password@host:6432/pgbouncer</code>, a
          stats_users login is enough) to see its pools here. <code>bulkhead doctor</code> checks its pool mode either way.
        </p>
      ) : null}
      {data?.state === 'unreachable' ? (
        <div className="notice notice-warn" data-testid="pgbouncer-unreachable">
          <strong>
            The admin console at <code>{data.adminUrl}</code> did not answer ({data.code})
          </strong>
          <div className="notice-remedy">{data.message}</div>
        </div>
      ) : null}
      {data?.state === 'ok' ? (
        <>
          <p className="muted">
            {data.version} · <code>{data.adminUrl}</code>
          </p>
          <AdminTable title="SHOW POOLS" rows={data.pools} columns={POOL_COLUMNS} testId="pgbouncer-pools" />
          <AdminTable title="SHOW STATS" rows={data.stats} columns={STATS_COLUMNS} testId="pgbouncer-stats" />
        </>
      ) : null}
    </section>
  );
}

function AdminTable({ title, rows, columns, testId }: { title: string; rows: readonly AdminRow[]; columns: readonly string[]; testId: string }) {
  // The admin console's own database is noise here.
  const shown = rows.filter((row) => row.database !== 'pgbouncer');
  return (
    <table className="table" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column}>{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {shown.length === 0 ? (
          <tr>
            <td colSpan={columns.length} className="muted">
              no pools yet (PgBouncer lists a pool once a client used it)
            </td>
          </tr>
        ) : (
          shown.map((row, index) => (
            <tr key={`${String(row.database)}/${String(row.user ?? index)}`}>
              {columns.map((column) => (
                <td key={column}>{row[column] ?? '—'}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
