import type { BaselineInfo } from '../../../../shared/contract';

const LATENCY_TITLE = 'Over all the run\'s requests (as History shows it); below, the median of its measurement windows\' values, which the gate compares.';

/** The run's own percentile, and the gate's median of window percentiles, each named. */
function LatencyCell({ run, windows }: { run: number | undefined; windows: number | null }) {
  return (
    <td className="num">
      {run === undefined ? '—' : `${Math.round(run)} ms`}
      <div className="muted">windows {windows === null ? '—' : `${Math.round(windows)} ms`}</div>
    </td>
  );
}

/** Saved baselines: the run's own latency and the medians a comparison starts from. */
export function BaselinesTable({ baselines, busy, onDelete }: { baselines: readonly BaselineInfo[]; busy: boolean; onDelete: (name: string) => void }) {
  if (baselines.length === 0) return <p className="muted">None saved.</p>;
  return (
    <table className="data" data-testid="baselines-table">
      <thead>
        <tr>
          <th>name</th>
          <th>run</th>
          <th>saved</th>
          <th className="num">windows</th>
          <th className="num">throughput</th>
          <th className="num" title={LATENCY_TITLE}>p50</th>
          <th className="num" title={LATENCY_TITLE}>p95</th>
          <th className="num" title={LATENCY_TITLE}>p99</th>
          <th className="num">errors</th>
          <th aria-label="delete" />
        </tr>
      </thead>
      <tbody>
        {baselines.map((b) => (
          <tr key={b.name} data-baseline={b.name}>
            <td>
              <strong>{b.name}</strong>
              <div className="muted">{b.label}</div>
            </td>
            <td>
              <a href={`#/history?run=${encodeURIComponent(b.runId)}`}>{b.runId}</a>
            </td>
            <td>{new Date(b.createdAt).toLocaleString()}</td>
            <td className="num">
              {b.windows} × {b.windowMs / 1000} s
            </td>
            <td className="num">{b.medians.throughput.toFixed(1)} /s</td>
            <LatencyCell run={b.run?.p50} windows={b.medians.p50} />
            <LatencyCell run={b.run?.p95} windows={b.medians.p95} />
            <LatencyCell run={b.run?.p99} windows={b.medians.p99} />
            <td className="num">{b.medians.errorRate.toFixed(2)} %</td>
            <td>
              <button type="button" disabled={busy} onClick={() => onDelete(b.name)} aria-label={`delete baseline ${b.name}`}>
                Delete
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
