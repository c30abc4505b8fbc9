import type { AttachedProcess } from '../../../../shared/contract';
import type { ProcessFilterValue } from './process-filter';

/** Which process's primitives a page shows: all, this panel's own stack, or one attached process. */
export function ProcessFilter({ processes, value, onChange }: { processes: readonly AttachedProcess[]; value: ProcessFilterValue; onChange: (value: ProcessFilterValue) => void }) {
  return (
    <label className="process-filter">
      <span className="muted">Process</span>
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid="process-filter">
        <option value="all">All processes</option>
        <option value="self">This panel's stack</option>
        {processes.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name} · pid {p.pid}
            {p.state === 'disconnected' ? ' (disconnected)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The process a row's primitive lives in, under its name; nothing for the panel's own. */
export function ProcessTag({ process }: { process?: { name: string; connected: boolean } | undefined }) {
  if (!process) return null;
  return (
    <div className="process-tag" data-testid="process-tag">
      <span className="muted">{process.name}</span>{' '}
      {process.connected ? null : <span className="badge badge-muted">disconnected</span>}
    </div>
  );
}
