import type { EmbeddedServerInfo, PoolSettingsInfo, PoolSnapshot } from '../../../../shared/contract';
import { formatMs } from './db-format';

/** What the pool runs with and where each value came from (env, .env files, defaults), secrets masked. */
export function PoolSettingsCard({ info, embedded, totals }: { info: PoolSettingsInfo; embedded: EmbeddedServerInfo | null; totals: PoolSnapshot['totals'] | null }) {
  const s = info.settings;
  return (
    <div className="card" data-testid="pool-settings">
      <h2>Settings</h2>
      <table className="data compact">
        <tbody>
          <tr>
            <th>database</th>
            <td>
              <code>{info.target ?? '—'}</code> <span className="muted">({info.mode})</span>
            </td>
          </tr>
          {embedded ? (
            <tr>
              <th>embedded</th>
              <td>
                pid {embedded.pid}, port {embedded.port}, {embedded.adopted ? 'taken over from an earlier run' : embedded.initialised ? 'created this start' : 'started'} in {formatMs(embedded.startMs)}
                <div className="muted">{embedded.dataDir}</div>
              </td>
            </tr>
          ) : null}
          <tr>
            <th>TLS</th>
            <td>
              {info.tls ? `${info.tls.mode} — ${info.tls.reason}` : '—'}
              {info.tls?.warning ? <div className="text-warn">{info.tls.warning}</div> : null}
            </td>
          </tr>
          <tr>
            <th>bounds</th>
            <td>
              min {s.min}, max {s.max}; connect timeout {formatMs(s.connectionTimeoutMs)}
            </td>
          </tr>
          <tr>
            <th>timeouts</th>
            <td>
              statement {s.statementTimeoutMs > 0 ? formatMs(s.statementTimeoutMs) : 'none'}, idle {formatMs(s.idleTimeoutMs)}, max lifetime {s.maxLifetimeSeconds} s, leak after {formatMs(s.leakThresholdMs)}
            </td>
          </tr>
          <tr>
            <th>application_name</th>
            <td>
              <code>{s.applicationName}</code>
            </td>
          </tr>
          {totals ? (
            <tr>
              <th>since start</th>
              <td>
                {totals.acquired} acquires, {totals.acquireTimeouts} timeouts, {totals.acquireErrors} errors; {totals.clientsCreated} clients opened, {totals.clientsRemoved} closed, {totals.idleClientErrors} idle-client errors
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <h2 className="db-subhead">Sources</h2>
      {info.sources.length === 0 ? (
        <p className="muted db-note">Nothing set: defaults and the embedded PostgreSQL. Set DATABASE_URL (environment, .env.local or .env) to use your own server.</p>
      ) : (
        <table className="data compact">
          <tbody>
            {info.sources.map((source) => (
              <tr key={source.name}>
                <th>{source.name}</th>
                <td>
                  <code>{source.value}</code> <span className="muted">from {source.source}</span>
                  {source.shadows.length > 0 ? <div className="text-warn">also set in {source.shadows.join(', ')} (ignored)</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
