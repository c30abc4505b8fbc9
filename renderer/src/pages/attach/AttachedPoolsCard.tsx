import { useState } from 'react';
import type { AttachedProcessPool } from '../../../../shared/contract';
import { useAttachedProcesses } from '../../hooks/use-attached-processes';
import { ProcessFilter } from './ProcessFilter';
import { matchesProcess } from './process-filter';

/** The Pool page's section for attached processes' connection pools (e.g. the library's PostgreSQL pool). */
export function AttachedPoolsCard() {
  const list = useAttachedProcesses();
  const [filter, setFilter] = useState('all');
  const pools = (list?.pools ?? []).filter((pool: AttachedProcessPool) => matchesProcess(filter, { process: { id: pool.processId, name: pool.processName, connected: pool.connected } }));
  if (!list || list.pools.length === 0) return null;
  return (
    <div className="card table-card">
      <h2>
        Pools of attached processes <ProcessFilter processes={list.processes} value={filter} onChange={setFilter} />
      </h2>
      <table className="data" data-testid="attached-pools">
        <thead>
          <tr>
            <th>Pool</th>
            <th>Process</th>
            <th className="num">Leased</th>
            <th className="num">Idle</th>
            <th className="num">Total (min–max)</th>
            <th className="num">Waiting</th>
            <th className="num">Leaks</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((pool) => (
            <tr key={`${pool.processId}:${pool.name}`}>
              <td className="mono">{pool.name}</td>
              <td>
                {pool.processName} {pool.connected ? null : <span className="badge badge-muted">disconnected</span>}
              </td>
              <td className="num">{pool.leased}</td>
              <td className="num">{pool.idle}</td>
              <td className="num">
                {pool.total} ({pool.min}–{pool.max})
              </td>
              <td className="num">
                <span className={pool.waiting > 0 ? 'text-warn' : undefined}>{pool.waiting}</span>
              </td>
              <td className="num">
                <span className={pool.leaks > 0 ? 'text-bad' : undefined}>{pool.leaks}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
