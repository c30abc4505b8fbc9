import type { PoolLeak } from '../../../../shared/contract';
import { formatMs } from './db-format';

/** Clients held longer than the leak threshold, longest first, each with the stack that took it. */
export function LeaksCard({ leaks, thresholdMs, flaggedSinceStart }: { leaks: readonly PoolLeak[]; thresholdMs: number | null; flaggedSinceStart: number }) {
  return (
    <div className="card" data-testid="pool-leaks">
      <h2>
        Held too long {thresholdMs !== null ? <span className="muted">(over {formatMs(thresholdMs)})</span> : null}{' '}
        <span className={`badge ${leaks.length > 0 ? 'badge-bad' : 'badge-ok'}`} data-testid="leak-count">
          {leaks.length} now · {flaggedSinceStart} since start
        </span>
      </h2>
      {leaks.length === 0 ? (
        <p className="muted db-note">No client is held past the threshold. Code that forgets to release, or awaits a slow provider while holding a client, shows up here with the stack that took it.</p>
      ) : (
        <ul className="leak-list">
          {leaks.map((leak) => (
            <li key={leak.id}>
              <div className="leak-head">
                <span className="badge badge-bad">{formatMs(leak.heldMs)}</span> <code>{leak.label}</code>
              </div>
              <pre className="stack">{leak.stack || '(no stack captured)'}</pre>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
