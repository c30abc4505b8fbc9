import type { ChaosRun } from '../../../../shared/contract';
import { chaosVerdict } from '../../../../shared/verdicts';
import { ChaosTimeline } from './ChaosTimeline';

export const STATUS_BADGE: Record<ChaosRun['status'], string> = {
  running: 'badge-warn',
  passed: 'badge-ok',
  failed: 'badge-bad',
  error: 'badge-bad',
};

/** One scenario run: timeline, and once over, every recovery check with its evidence. */
export function ChaosVerdict({ run }: { run: ChaosRun }) {
  return (
    <div className="chaos-verdict" data-testid="chaos-verdict" data-status={run.status} data-scenario={run.scenario}>
      <div className="chaos-verdict-head">
        <span className={`badge ${STATUS_BADGE[run.status]}`}>{chaosVerdict(run.status)}</span>
        <strong>{run.summary}</strong>
        {run.stressRunId ? (
          <a href={`#/history?run=${encodeURIComponent(run.stressRunId)}`} className="chaos-run-link">
            stress run →
          </a>
        ) : (
          <span className="muted chaos-run-link">alone, with probe traffic</span>
        )}
      </div>
      <ChaosTimeline run={run} />
      {run.checks.length > 0 ? (
        <table className="data compact-checks">
          <tbody>
            {run.checks.map((check) => (
              <tr key={check.id} data-check={check.id} data-ok={check.ok ? 'true' : 'false'}>
                <td className={check.ok ? 'check-ok' : 'check-bad'}>{check.ok ? '✓' : '✗'}</td>
                <td>{check.title}</td>
                <td className="muted">{check.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
