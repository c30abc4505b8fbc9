import type { AttachProcessList } from '../../../../shared/contract';
import { formatUptime } from './format-uptime';

/**
 * Processes reporting to this panel over BULKHEAD_ATTACH: who (name, pid, host), for how long, and whether
 * they are still connected. Nothing attached yet: a line on how to attach, pointing at Settings.
 */
export function AttachedProcessesCard({ list }: { list: AttachProcessList | null }) {
  if (!list) return null;
  if (list.processes.length === 0) {
    return (
      <p className="muted attach-hint" data-testid="attach-hint">
        Your own agents can appear here too: start them with the <code>BULKHEAD_ATTACH=…</code> line from Settings (or what{' '}
        <code>bulkhead serve</code> printed) and use the bulkhead-governance library.
      </p>
    );
  }
  return (
    <div className="card table-card">
      <h2>Attached processes</h2>
      <table className="data" data-testid="attached-processes">
        <thead>
          <tr>
            <th>Process</th>
            <th className="num">pid</th>
            <th>Host</th>
            <th>Language</th>
            <th className="num">Uptime</th>
            <th>State</th>
            <th className="num" title="semaphores · limiters · worker pools · pools">Primitives</th>
            <th className="num" title="reports received · reports the process dropped (its buffer was full)">Reports · dropped</th>
          </tr>
        </thead>
        <tbody>
          {list.processes.map((p) => (
            <tr key={p.id} data-testid={`process-${p.name}`} data-state={p.state}>
              <td className="mono">{p.name}</td>
              <td className="num">{p.pid}</td>
              <td>{p.host}</td>
              <td>{p.language}</td>
              <td className="num">{formatUptime((p.disconnectedAt ?? list.t) - p.startedAt)}</td>
              <td>
                {p.state === 'connected' ? (
                  <span className="badge badge-ok">connected{p.connections > 1 ? ` (reconnected ${p.connections - 1}×)` : ''}</span>
                ) : (
                  <span className="badge badge-bad">disconnected</span>
                )}
              </td>
              <td className="num">
                {p.primitives.semaphores} · {p.primitives.limiters} · {p.primitives.workerPools} · {p.primitives.pools}
              </td>
              <td className="num">
                {p.reports} · <span className={p.dropped > 0 ? 'text-warn' : undefined}>{p.dropped}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
