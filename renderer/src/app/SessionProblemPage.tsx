import type { SessionProblem } from '../bridge/host-session';
import './session-problem.css';

const WHAT_HAPPENED: Record<SessionProblem['code'], { title: string; explain?: string }> = {
  NO_SESSION: { title: 'Open Bulkhead from its link', explain: 'This tab has no session with Bulkhead. Open the link Bulkhead printed when it started, or get a new one.' },
  LAUNCH_CODE_USED: { title: 'This link was already used', explain: 'Each link opens the panel once, in one tab, so an address from your history or from another tab does not open it again.' },
  LAUNCH_CODE_EXPIRED: { title: 'This link has expired', explain: 'A link works for 10 minutes after it is printed.' },
  LAUNCH_CODE_UNKNOWN: { title: 'This link is not from this Bulkhead', explain: 'It may be from before Bulkhead was restarted.' },
  HOST_UNREACHABLE: { title: 'Bulkhead does not answer', explain: 'Nothing answers at this address: Bulkhead may have stopped.' },
  BAD_MESSAGE: { title: 'This link did not work' },
};

/**
 * Shown instead of the panel when the browser tab has no session: what happened, and the one command
 * that prints a new link.
 */
export function SessionProblemPage({ problem }: { problem: SessionProblem }) {
  const { title, explain } = WHAT_HAPPENED[problem.code];
  const stopped = problem.code === 'HOST_UNREACHABLE';
  return (
    <main className="session-problem" data-page="session-problem" data-problem={problem.code} data-ready="true">
      <div className="session-problem-card card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <div className="brand-name">Bulkhead</div>
        </div>
        <h1>{title}</h1>
        <p>{explain ?? problem.message}</p>
        <p>{stopped ? 'Start it again in the Bulkhead folder; it prints a new link:' : 'For a new link, run this in the Bulkhead folder:'}</p>
        <pre className="session-problem-command">{stopped ? 'npm start' : 'npx bulkhead open'}</pre>
        {stopped ? null : (
          <p className="session-problem-hint">
            Add <code>--data-dir D</code> if Bulkhead was started with one; the terminal running Bulkhead shows the exact command.
            Running <code>npm start</code> again also prints a new link.
          </p>
        )}
      </div>
    </main>
  );
}
