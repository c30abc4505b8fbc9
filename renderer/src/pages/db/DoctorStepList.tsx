import type { DoctorStep } from '../../../../shared/contract';
import { STATUS_BADGE, formatMs } from './db-format';

/** A step as the page knows it: not reached yet, running now, or finished. */
export type LiveStep = { id: string; title: string; phase: 'pending' | 'running' } | { id: string; title: string; phase: 'done'; step: DoctorStep };

/** The doctor's steps in order, filling in as the run progresses; evidence and the fix under each. */
export function DoctorStepList({ steps, testId = 'doctor-steps' }: { steps: readonly LiveStep[]; testId?: string }) {
  return (
    <ol className="doctor-steps" data-testid={testId}>
      {steps.map((live) => (
        <li key={live.id} className={`doctor-step doctor-step-${live.phase === 'done' ? live.step.status : live.phase}`} data-step={live.id} data-status={live.phase === 'done' ? live.step.status : live.phase}>
          {live.phase === 'done' ? <FinishedStep step={live.step} /> : <PendingStep title={live.title} running={live.phase === 'running'} />}
        </li>
      ))}
    </ol>
  );
}

function PendingStep({ title, running }: { title: string; running: boolean }) {
  return (
    <div className="doctor-step-head">
      <span className={`badge ${running ? 'badge-warn doctor-running' : 'badge-muted'}`}>{running ? 'running' : 'waiting'}</span>
      <span className="doctor-step-title">{title}</span>
    </div>
  );
}

function FinishedStep({ step }: { step: DoctorStep }) {
  const [summary = '', ...evidence] = step.detail.split('\n');
  const open = step.status === 'fail' || step.status === 'warn';
  return (
    <>
      <div className="doctor-step-head">
        <span className={`badge ${STATUS_BADGE[step.status]}`}>{step.status}</span>
        <span className="doctor-step-title">{step.title}</span>
        <span className="doctor-step-summary">{summary}</span>
        {step.code && step.status !== 'pass' ? <code className="doctor-code">{step.code}</code> : null}
        {step.status !== 'skip' ? <span className="muted doctor-ms">{formatMs(step.ms)}</span> : null}
      </div>
      {evidence.length > 0 ? (
        <details className="doctor-evidence" open={open}>
          <summary>evidence ({evidence.length})</summary>
          <ul>
            {evidence.map((line, i) => (
              <li key={i}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {step.remedy && open ? (
        <div className={`notice ${step.status === 'fail' ? 'notice-bad' : 'notice-warn'} doctor-remedy`}>
          <strong>Fix</strong>
          <div className="notice-remedy">{step.remedy}</div>
        </div>
      ) : null}
    </>
  );
}
