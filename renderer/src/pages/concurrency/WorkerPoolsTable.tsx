import type { WorkerPoolSnapshot } from '../../../../shared/contract';
import { Sparkline } from '../../components/Sparkline';
import type { SparkHistory } from '../../hooks/use-concurrency';
import { ProcessTag } from '../attach/ProcessFilter';
import { primitiveKey } from '../attach/process-filter';
import { formatCount, formatMs, formatRate } from './concurrency-format';

/** Worker-thread pools: bounded threads, bounded queue, crashes replaced. */
export function WorkerPoolsTable({ pools, history }: { pools: readonly WorkerPoolSnapshot[]; history: SparkHistory }) {
  return (
    <div className="card table-card">
      <h2>Worker pools</h2>
      <table className="data" data-testid="worker-pools-table">
        <thead>
          <tr>
            <th>Pool</th>
            <th className="num">Threads</th>
            <th className="num">Busy</th>
            <th className="num">Queued</th>
            <th className="num">Done/s</th>
            <th className="num">Wait p99</th>
            <th className="num">Run p50 / p99</th>
            <th className="num" title="failed · crashed (replaced) · aborted · timed out · refused (queue full)">Failed · crashed · aborted · timeouts · full</th>
            <th>Long running</th>
            <th>Last minute</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((p) => {
            const [busy = [], queued = []] = history.get(primitiveKey('pool', p));
            return (
              <tr key={primitiveKey('pool', p)} data-testid={`pool-${p.name}`} data-process={p.process?.name}>
                <td>
                  <div className="mono">{p.name}</div>
                  <ProcessTag process={p.process} />
                </td>
                <td className="num">
                  {p.live} / {p.size}
                </td>
                <td className="num">{p.busy}</td>
                <td className="num">
                  <span className={p.queued > 0 ? 'text-warn' : undefined}>{p.queued}</span>
                  <span className="muted"> (max {p.maxQueuedSeen} of {p.maxQueue})</span>
                </td>
                <td className="num">{formatRate(p.completedPerSec)}</td>
                <td className="num">{formatMs(p.waitMs.p99)}</td>
                <td className="num">
                  {formatMs(p.runMs.p50)} / <strong>{formatMs(p.runMs.p99)}</strong>
                </td>
                <td className="num">
                  {formatCount(p.failed)} · <span className={p.crashed > 0 ? 'text-bad' : undefined}>{formatCount(p.crashed)}</span> · {formatCount(p.aborted)} · {formatCount(p.timeouts)} ·{' '}
                  {formatCount(p.rejected)}
                </td>
                <td>
                  {p.longRunning.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    p.longRunning.slice(0, 2).map((task, index) => (
                      <div key={`${task.label}-${index}`}>
                        <span className="mono">{task.label}</span> <span className="badge badge-warn">{formatMs(task.ageMs)}</span>
                      </div>
                    ))
                  )}
                </td>
                <td>
                  <Sparkline
                    max={Math.max(p.size, ...queued)}
                    series={[
                      { label: 'busy', values: busy, color: '#60a5fa', fill: true },
                      { label: 'queued', values: queued, color: '#fbbf24' },
                    ]}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
