import type { RunExportFormat, RunRecord } from '../../../../shared/contract';
import { formatMs, verdictOf } from './run-format';

interface Props {
  runs: readonly RunRecord[];
  open: string | null;
  picked: readonly string[];
  onToggle: (runId: string) => void;
  confirming: string | null;
  deleting: boolean;
  onAskDelete: (runId: string | null) => void;
  onConfirmDelete: (runId: string) => void;
  exportBusy: boolean;
  onExport: (runId: string, format: RunExportFormat) => void;
}

/** The stored runs, one row each: verdict and the numbers that matter, pick for compare, export, delete (confirmed). */
export function RunsTable({ runs, open, picked, onToggle, confirming, deleting, onAskDelete, onConfirmDelete, exportBusy, onExport }: Props) {
  return (
    <div className="table-scroll">
      <table className="data runs-table" data-testid="runs-table">
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
            <th>
              <span className="sr-only">actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const verdict = verdictOf(run);
            const s = run.summary;
            const running = run.status === 'running';
            return (
              <tr key={run.id} className={run.id === open ? 'selected' : undefined} data-run-id={run.id}>
                <td>
                  <input type="checkbox" aria-label={`pick ${run.id} for comparison`} checked={picked.includes(run.id)} onChange={() => onToggle(run.id)} />
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
                <td className="row-actions">
                  {confirming === run.id ? (
                    <span className="confirm" role="group" aria-label={`confirm deleting ${run.id}`}>
                      Delete this run and its samples?
                      <button type="button" className="danger" disabled={deleting} onClick={() => onConfirmDelete(run.id)} data-testid="confirm-delete">
                        Delete
                      </button>
                      <button type="button" onClick={() => onAskDelete(null)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button type="button" className="small" disabled={exportBusy} onClick={() => onExport(run.id, 'html')} title="a self-contained HTML report: open it anywhere, attach it to a ticket" data-testid="export-html">
                        HTML
                      </button>
                      <button type="button" className="small" disabled={exportBusy} onClick={() => onExport(run.id, 'json')} title="the run and every per-second sample, for tools" data-testid="export-json">
                        JSON
                      </button>
                      <button
                        type="button"
                        className="small"
                        disabled={running}
                        title={running ? 'A running run cannot be deleted: stop it first' : 'delete this run'}
                        aria-label={`delete run ${run.id}`}
                        onClick={() => onAskDelete(run.id)}
                        data-testid="delete-run"
                      >
                        Delete
                      </button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
