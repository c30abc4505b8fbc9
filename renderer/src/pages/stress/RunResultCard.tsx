import type { RunRecord } from '../../../../shared/contract';
import { formatMs, thresholdsHeld, totalErrors, verdictOf } from './run-format';

function formatBytes(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} B`;
}
import { describeRates } from '../../../../shared/run-figures';

/** The verdict of a finished run: thresholds with their values, and the numbers that decide A/B comparisons. */
export function RunResultCard({ record, showLink = true }: { record: RunRecord; showLink?: boolean }) {
  const verdict = verdictOf(record);
  const s = record.summary;
  return (
    <div className="card run-result" data-testid="run-result">
      <div className="run-result-head">
        <span className={`badge badge-${verdict.tone}`} data-testid="run-verdict">
          {verdict.label}
        </span>
        <strong>
          {record.name} · {record.config.profile.target ? 'HTTP endpoint' : record.config.mode}
        </strong>
        {s ? <span className="muted">{thresholdsHeld(s)}</span> : null}
        {showLink ? (
          <a href={`#/history?run=${encodeURIComponent(record.id)}`} className="run-result-link">
            open in History
          </a>
        ) : null}
      </div>
      {record.error ? <div className="notice notice-warn">{record.error}</div> : null}
      {s ? (
        <>
          <table className="data compact">
            <tbody>
              <tr>
                <th>requests</th>
                <td>
                  {s.requests.planned.toLocaleString()} planned · {s.requests.completed.toLocaleString()} completed · {s.requests.failed.toLocaleString()} failed ({s.requests.shed.toLocaleString()} shed) · {s.requests.dropped.toLocaleString()} dropped · {s.requests.late.toLocaleString()} late
                </td>
              </tr>
              <tr>
                <th>rate</th>
                <td>
                  {describeRates(s.rate)} · lasted {s.duration_s} s
                </td>
              </tr>
              <tr>
                <th>latency</th>
                <td>
                  p50 {formatMs(s.latency_ms.p50)} · p95 {formatMs(s.latency_ms.p95)} · p99 {formatMs(s.latency_ms.p99)} · max {formatMs(s.latency_ms.max)}
                </td>
              </tr>
              <tr>
                <th>errors</th>
                <td>
                  {totalErrors(s.errors) === 0
                    ? 'none'
                    : Object.entries(s.errors)
                        .sort((a, b) => b[1] - a[1])
                        .map(([kind, n]) => `${kind} ${n}`)
                        .join(' · ')}
                </td>
              </tr>
              {s.target ? (
                <>
                  <tr data-testid="run-target">
                    <th>endpoint</th>
                    <td>
                      {s.target.method} {s.target.url} · {s.target.sent.toLocaleString()} sent · status{' '}
                      {Object.entries(s.target.status)
                        .sort((a, b) => b[1] - a[1])
                        .map(([code, n]) => `${code} × ${n.toLocaleString()}`)
                        .join(' · ') || 'none'}
                    </td>
                  </tr>
                  <tr>
                    <th>first byte</th>
                    <td>
                      p50 {formatMs(s.target.ttfb_ms.p50)} · p95 {formatMs(s.target.ttfb_ms.p95)} · p99 {formatMs(s.target.ttfb_ms.p99)} (first SSE event for streams) · {formatBytes(s.target.bytes_in)} received
                    </td>
                  </tr>
                  <tr>
                    <th>connections</th>
                    <td>
                      {s.target.connections.opened} opened (pool of {s.target.connections.max}, at most {s.target.connections.peak_open} open) · {Math.round(s.target.connections.reuse * 1000) / 10} % of requests reused one
                    </td>
                  </tr>
                </>
              ) : (
                <>
                <tr>
                  <th>provider</th>
                  <td>
                    {s.provider.calls.toLocaleString()} calls · {s.provider.http_429.toLocaleString()} × 429 · {s.provider.retries.toLocaleString()} retries
                  </td>
                </tr>
                <tr>
                  <th>database</th>
                  <td>
                    {s.db.max_server_connections ?? '—'} server connections at most (pool max {s.db.pool_max ?? 'none'}) · acquire wait p99 {formatMs(s.db.acquire_wait_p99_ms)}
                    {s.db.too_many_clients > 0 ? ` · ${s.db.too_many_clients} × too many clients` : ''}
                  </td>
                </tr>
                </>
              )}
              {s.chaos ? (
                <tr data-testid="run-chaos">
                  <th>chaos</th>
                  <td>
                    {s.chaos} <a href="#/chaos">timeline and checks →</a>
                  </td>
                </tr>
              ) : null}
              {s.regression ? (
                <tr data-testid="run-regression">
                  <th>baseline</th>
                  <td className={s.regression.regressed ? 'change-bad' : undefined}>
                    {s.regression.baseline}: {s.regression.regressed ? 'regressed' : 'no regression'} — {s.regression.detail}{' '}
                    <a href={`#/regression?baseline=${encodeURIComponent(s.regression.baseline)}&run=${encodeURIComponent(record.id)}`}>comparison →</a>
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {s.thresholds.length > 0 ? (
            <ul className="threshold-list">
              {s.thresholds.map((t) => (
                <li key={t.expr} className={t.ok ? 'ok' : 'bad'}>
                  <span aria-hidden="true">{t.ok ? '✓' : '✗'}</span> <code>{t.expr}</code> <span className="muted">{t.value === null ? 'no value' : t.value}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
