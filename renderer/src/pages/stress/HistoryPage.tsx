import { useState } from 'react';
import type { RunRecord } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { useHashRoute } from '../../app/use-hash-route';
import { RunCompare } from './RunCompare';
import { RunDetail } from './RunDetail';
import { formatMs, verdictOf } from './run-format';

/** Stored stress runs with their verdicts; open one for its charts, or pick two to compare side by side. */
export function HistoryPage() {
  const { query } = useHashRoute();
  const [refresh, setRefresh] = useState(0);
  const runs = useCall('stress.runs.list', { limit: 200 }, String(refresh));
  const [picked, setPicked] = useState<string[]>([]);
  useEvent('stress.finished', () => setRefresh((n) => n + 1));

  const open = query.get('run');
  const compareA = query.get('a');
  const compareB = query.get('b');
  const list = runs.data ?? [];

  const toggle = (id: string): void =>
    setPicked((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current.slice(-1), id]));
  const comparePicked = (): void => {
    const [a, b] = orderForCompare(list, picked);
    window.location.hash = `#/history?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
  };

  return (
    <section className="page" data-page="history" data-ready={runs.data !== null ? 'true' : undefined}>
      <PageHeader
        title="History"
        subtitle="Every stress run with its verdict. Open a run for its per-second charts; tick two (say the same profile governed and unbounded) and compare them side by side."
        actions={
          <button type="button" className="primary" disabled={picked.length !== 2} onClick={comparePicked} data-testid="compare-runs">
            Compare {picked.length === 2 ? 'the two picked runs' : '(pick two)'}
          </button>
        }
      />
      {runs.error ? <ErrorNotice error={runs.error} /> : null}
      {compareA && compareB ? <RunCompare a={compareA} b={compareB} /> : open ? <RunDetail runId={open} /> : null}
      <div className="card">
        {list.length === 0 && runs.data !== null ? (
          <p className="muted">No stress runs yet. Start one on the Stress page, or with `bulkhead stress --profile light`.</p>
        ) : (
          <table className="data" data-testid="runs-table">
            <thead>
              <tr>
                <th aria-label="pick" />
                <th>started</th>
                <th>profile</th>
                <th>mode</th>
                <th>verdict</th>
                <th className="num">requests</th>
                <th className="num">achieved /s</th>
                <th className="num">p95</th>
                <th className="num">p99</th>
                <th className="num">failed</th>
                <th className="num">429s</th>
                <th className="num">DB conns max</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => {
                const verdict = verdictOf(run);
                const s = run.summary;
                return (
                  <tr key={run.id} className={run.id === open ? 'selected' : undefined} data-run-id={run.id}>
                    <td>
                      <input type="checkbox" aria-label={`pick ${run.id} for comparison`} checked={picked.includes(run.id)} onChange={() => toggle(run.id)} />
                    </td>
                    <td>
                      <a href={`#/history?run=${encodeURIComponent(run.id)}`}>{new Date(run.createdAt).toLocaleString()}</a>
                    </td>
                    <td>{run.name}</td>
                    <td>{run.config.mode}</td>
                    <td>
                      <span className={`badge badge-${verdict.tone}`}>{verdict.label}</span>
                    </td>
                    <td className="num">{s ? s.requests.planned.toLocaleString() : '—'}</td>
                    <td className="num">{s ? s.rate.achieved : '—'}</td>
                    <td className="num">{s ? formatMs(s.latency_ms.p95) : '—'}</td>
                    <td className="num">{s ? formatMs(s.latency_ms.p99) : '—'}</td>
                    <td className="num">{s ? s.requests.failed.toLocaleString() : '—'}</td>
                    <td className="num">{s ? s.provider.http_429.toLocaleString() : '—'}</td>
                    <td className="num">{s?.db.max_server_connections ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/** Governed on the left when the pair is a governed/unbounded A/B; otherwise older first. */
function orderForCompare(list: readonly RunRecord[], picked: readonly string[]): [string, string] {
  const [x, y] = picked.map((id) => list.find((r) => r.id === id)!);
  if (x!.config.mode !== y!.config.mode) return x!.config.mode === 'governed' ? [x!.id, y!.id] : [y!.id, x!.id];
  return x!.createdAt <= y!.createdAt ? [x!.id, y!.id] : [y!.id, x!.id];
}
