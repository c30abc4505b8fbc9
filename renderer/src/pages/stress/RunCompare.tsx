import type { RunRecord, RunSample, RunSummary } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { RunChart } from '../../components/RunChart';
import { useCall } from '../../hooks/use-call';
import { describeCountChange, formatPercentChange, percentChange } from '../../../../shared/run-figures';
import { formatMs, totalErrors, verdictOf } from './run-format';

interface Row {
  label: string;
  read: (s: RunSummary) => number | null;
  format?: (v: number | null) => string;
  /** Which direction is better, to colour the change. */
  better: 'lower' | 'higher';
}

const ROWS: readonly Row[] = [
  { label: 'DB server connections (max)', read: (s) => s.db.max_server_connections, better: 'lower' },
  { label: 'pool max', read: (s) => s.db.pool_max, better: 'lower' },
  { label: '"too many clients" errors', read: (s) => s.db.too_many_clients, better: 'lower' },
  { label: 'HTTP 429 answers', read: (s) => s.provider.http_429, better: 'lower' },
  { label: 'provider retries', read: (s) => s.provider.retries, better: 'lower' },
  { label: 'provider calls', read: (s) => s.provider.calls, better: 'lower' },
  { label: 'failed requests', read: (s) => s.requests.failed, better: 'lower' },
  { label: '  of which shed on purpose', read: (s) => s.requests.shed, better: 'lower' },
  { label: 'completed requests', read: (s) => s.requests.completed, better: 'higher' },
  { label: 'dropped arrivals', read: (s) => s.requests.dropped, better: 'lower' },
  { label: 'latency p95', read: (s) => s.latency_ms.p95, format: formatMs, better: 'lower' },
  { label: 'latency p99', read: (s) => s.latency_ms.p99, format: formatMs, better: 'lower' },
  { label: 'achieved arrival rate (/s)', read: (s) => s.rate.achieved, better: 'higher' },
  { label: 'event-loop delay p99', read: (s) => s.runtime.event_loop_p99_ms, format: formatMs, better: 'lower' },
  { label: 'heap peak (MB)', read: (s) => s.runtime.heap_peak_mb, better: 'lower' },
];

const OVERLAYS: ReadonlyArray<{ id: string; title: string; unit: string; read: (s: RunSample) => number | null }> = [
  { id: 'db', title: 'DB server connections', unit: '', read: (s) => s.dbConnections },
  { id: 'http429', title: 'HTTP 429 per second', unit: '', read: (s) => s.http429 },
  { id: 'errors', title: 'Failed requests per second', unit: '', read: (s) => totalErrors(s.errors) },
  { id: 'p95', title: 'Latency p95', unit: ' ms', read: (s) => (s.completed > 0 ? s.latencyMs.p95 : null) },
  { id: 'p99', title: 'Latency p99', unit: ' ms', read: (s) => (s.completed > 0 ? s.latencyMs.p99 : null) },
  { id: 'completed', title: 'Completed per second', unit: '/s', read: (s) => s.completed },
];

/** Two runs side by side; for a governed/unbounded pair, the headline says what governance changed. */
export function RunCompare({ a, b }: { a: string; b: string }) {
  const pair = useCall('stress.runs.compare', { a, b, maxSamples: 1_800 });
  if (pair.error) return <ErrorNotice error={pair.error} />;
  if (!pair.data) return <div className="card muted">Loading the two runs…</div>;
  const left = pair.data.a;
  const right = pair.data.b;
  const seconds = alignSeconds(left.samples, right.samples);
  return (
    <div className="run-compare" data-testid="run-compare">
      <div className="card">
        <h2>
          {label(left.run)} vs {label(right.run)}
        </h2>
        <p className="compare-headline" data-testid="compare-headline">
          {headline(left.run, right.run)}
        </p>
        <table className="data compare-table">
          <thead>
            <tr>
              <th />
              <th className="num">
                {label(left.run)} <span className={`badge badge-${verdictOf(left.run).tone}`}>{verdictOf(left.run).label}</span>
              </th>
              <th className="num">
                {label(right.run)} <span className={`badge badge-${verdictOf(right.run).tone}`}>{verdictOf(right.run).label}</span>
              </th>
              <th className="num">change</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map((row) => {
              const x = left.run.summary ? row.read(left.run.summary) : null;
              const y = right.run.summary ? row.read(right.run.summary) : null;
              const format = row.format ?? ((v: number | null) => (v === null ? '—' : v.toLocaleString()));
              return (
                <tr key={row.label}>
                  <th>{row.label}</th>
                  <td className="num">{format(x)}</td>
                  <td className="num">{format(y)}</td>
                  <td className={`num ${changeTone(x, y, row.better)}`}>{change(x, y)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="chart-grid">
        {OVERLAYS.map((overlay) => (
          <RunChart
            key={overlay.id}
            title={overlay.title}
            unit={overlay.unit}
            series={[
              { label: label(left.run), color: '#5eead4', fill: true },
              { label: label(right.run), color: '#f87171' },
            ]}
            columns={[seconds, column(seconds, left.samples, overlay.read), column(seconds, right.samples, overlay.read)]}
            version={0}
            testId={`compare-${overlay.id}`}
          />
        ))}
      </div>
    </div>
  );
}

function label(run: RunRecord): string {
  return `${run.name} ${run.config.mode}`;
}

/** The sentence a governed-vs-unbounded comparison is for. */
function headline(a: RunRecord, b: RunRecord): string {
  const sa = a.summary;
  const sb = b.summary;
  if (!sa || !sb) return 'One of the runs has no result to compare.';
  const parts: string[] = [];
  const ca = sa.db.max_server_connections;
  const cb = sb.db.max_server_connections;
  const connections = ca !== null && cb !== null ? describeCountChange(ca, cb, 'database server connections') : null;
  if (connections) parts.push(`${connections} (${ca} vs ${cb})`);
  parts.push(`${sa.provider.http_429.toLocaleString()} vs ${sb.provider.http_429.toLocaleString()} HTTP 429s`);
  parts.push(`p95 ${formatMs(sa.latency_ms.p95)} vs ${formatMs(sb.latency_ms.p95)}, p99 ${formatMs(sa.latency_ms.p99)} vs ${formatMs(sb.latency_ms.p99)}`);
  parts.push(`${sa.requests.completed.toLocaleString()} vs ${sb.requests.completed.toLocaleString()} completed`);
  return `${label(a)} against ${label(b)}: ${parts.join('; ')}.`;
}

/** The same percentage, rounded the same way, as the headline (shared/run-figures.ts). */
function change(x: number | null, y: number | null): string {
  if (x === null || y === null) return '—';
  if (y === 0) return x === 0 ? '=' : `+${x.toLocaleString()}`;
  const pct = percentChange(x, y);
  if (pct === null) return '—';
  const text = formatPercentChange(pct);
  return text === '0 %' ? '=' : text;
}

function changeTone(x: number | null, y: number | null, better: 'lower' | 'higher'): string {
  if (x === null || y === null || x === y) return '';
  return (x < y) === (better === 'lower') ? 'change-good' : 'change-bad';
}

function alignSeconds(a: readonly RunSample[], b: readonly RunSample[]): number[] {
  return [...new Set([...a.map((s) => s.second), ...b.map((s) => s.second)])].sort((x, y) => x - y);
}

function column(seconds: readonly number[], samples: readonly RunSample[], read: (s: RunSample) => number | null): (number | null)[] {
  const bySecond = new Map(samples.map((s) => [s.second, s]));
  return seconds.map((second) => {
    const sample = bySecond.get(second);
    return sample ? read(sample) : null;
  });
}
