import type { PoolSnapshot } from '../../../../shared/contract';
import { formatMs } from './db-format';

/**
 * The pool's own counters beside PostgreSQL's count of our sessions by state. They should agree: a
 * leased client is usually `active` (or `idle` between two queries of its holder), an idle pool client
 * is `idle`; `idle in transaction` means someone left a transaction open.
 */
export function ServerVsPoolTable({ snapshot }: { snapshot: PoolSnapshot }) {
  const server = snapshot.server;
  const ok = server?.ok === true;
  const cell = (value: number | undefined): string => (ok && value !== undefined ? String(value) : '—');
  return (
    <div className="card" data-testid="server-vs-pool">
      <h2>Pool vs server</h2>
      <table className="data">
        <thead>
          <tr>
            <th>pool says</th>
            <th className="num">count</th>
            <th>pg_stat_activity says</th>
            <th className="num">count</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>leased (in use by our code)</td>
            <td className="num">{snapshot.counts.leased}</td>
            <td>active</td>
            <td className="num">{cell(server?.byState.active)}</td>
          </tr>
          <tr>
            <td>idle in the pool</td>
            <td className="num">{snapshot.counts.idle}</td>
            <td>idle</td>
            <td className="num">{cell(server?.byState.idle)}</td>
          </tr>
          <tr>
            <td>waiting for a client</td>
            <td className="num">{snapshot.counts.waiting}</td>
            <td>idle in transaction</td>
            <td className={`num${ok && (server?.byState.idleInTransaction ?? 0) > 0 ? ' text-warn' : ''}`}>{cell(server?.byState.idleInTransaction)}</td>
          </tr>
          <tr>
            <td>
              <strong>total open</strong>
            </td>
            <td className="num">
              <strong>{snapshot.counts.total}</strong>
            </td>
            <td>
              <strong>ours, all states</strong> {ok && server?.byState.other ? <span className="muted">(+{server.byState.other} other)</span> : null}
            </td>
            <td className="num" data-testid="server-ours">
              <strong>{cell(server?.ours)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
      <p className="muted db-note">
        {server
          ? ok
            ? `application_name "${server.applicationName}" · ${server.allConnections} client sessions on the server of max_connections ${server.maxConnections} · sampled ${formatMs(Math.max(0, snapshot.t - server.at))} ago`
            : `The server could not be sampled: ${server.error ?? 'no answer'}`
          : 'Sampled every two seconds once the database is up.'}
      </p>
    </div>
  );
}
