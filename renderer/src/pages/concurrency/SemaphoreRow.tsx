import type { SemaphoreSnapshot } from '../../../../shared/contract';
import { Sparkline } from '../../components/Sparkline';
import type { SparkHistory } from '../../hooks/use-concurrency';
import { ProcessTag } from '../attach/ProcessFilter';
import { primitiveKey } from '../attach/process-filter';
import { formatCount, formatMs, formatRate } from './concurrency-format';

/** One semaphore: permits in use, waiters, rates, waits and holds, failures, long holders, the last minute. */
export function SemaphoreRow({ semaphore: s, history }: { semaphore: SemaphoreSnapshot; history: SparkHistory }) {
  const [inUse = [], waiting = []] = history.get(primitiveKey('semaphore', s));
  const share = s.permits > 0 ? Math.min(1, s.inUse / s.permits) : 0;
  return (
    <tr data-testid={`semaphore-${s.name}`} data-process={s.process?.name}>
      <td>
        <div className="mono">{s.name}</div>
        <ProcessTag process={s.process} />
      </td>
      <td className="num">
        {s.permits}
        {s.adaptive ? <div className="muted">adaptive {s.adaptive.min}–{s.adaptive.max}</div> : null}
      </td>
      <td>
        <div className="meter" title={`${s.inUse} of ${s.permits} permits in use`}>
          <div className="meter-bar">
            <div className={share >= 1 ? 'meter-full' : undefined} style={{ width: `${share * 100}%` }} />
          </div>
          <span className="meter-label">{s.inUse}</span>
        </div>
      </td>
      <td className="num">
        <span className={s.waiting > 0 ? 'text-warn' : undefined}>{s.waiting}</span>
        <span className="muted"> (max {s.maxWaitingSeen}{s.maxWaiting !== null ? ` of ${s.maxWaiting}` : ''})</span>
      </td>
      <td className="num">{formatRate(s.acquiredPerSec)}</td>
      <td className="num">
        {formatMs(s.waitMs.p50)} / <strong>{formatMs(s.waitMs.p99)}</strong>
      </td>
      <td className="num">{formatMs(s.holdMs.p99)}</td>
      <td className="num">
        {formatCount(s.timeouts)} · {formatCount(s.aborts)} · {formatCount(s.rejected)}
      </td>
      <td>
        {s.longHolders.length === 0 ? (
          <span className="muted">none over {formatMs(s.longHoldThresholdMs)}</span>
        ) : (
          <ul className="holders">
            {s.longHolders.slice(0, 3).map((holder, index) => (
              <li key={`${holder.label}-${index}`}>
                <span className="mono">{holder.label}</span> <span className="badge badge-warn">{formatMs(holder.ageMs)}</span>
              </li>
            ))}
            {s.longHolderCount > 3 ? <li className="muted">+{s.longHolderCount - 3} more</li> : null}
          </ul>
        )}
      </td>
      <td>
        <Sparkline
          max={Math.max(s.permits, ...waiting)}
          series={[
            { label: 'in use', values: inUse, color: '#5eead4', fill: true },
            { label: 'waiting', values: waiting, color: '#fbbf24' },
          ]}
          testId={`spark-${s.name}`}
        />
      </td>
    </tr>
  );
}
