import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { BridgeError, type DoctorReport, type StoredDoctorReport } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { DoctorHistoryTable } from './DoctorHistoryTable';
import { DoctorStepList, type LiveStep } from './DoctorStepList';
import { formatTime } from './db-format';

interface LiveRun {
  runId: string;
  steps: LiveStep[];
}

/** "Diagnose RAG connection": the doctor's steps appear one by one with evidence and the fix. */
export function DoctorPage() {
  const bridge = useBridge();
  const { query } = useHashRoute();
  const [url, setUrl] = useState('');
  const [live, setLive] = useState<LiveRun | null>(null);
  const [running, setRunning] = useState(false);
  const [shown, setShown] = useState<StoredDoctorReport | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [copied, setCopied] = useState(false);
  const [historyKey, setHistoryKey] = useState(0);
  const history = useCall('doctor.history', { limit: 20 }, String(historyKey));
  const requestedId = Number(query.get('report') ?? Number.NaN);

  // #/doctor?report=12 (from the Pool page's history) opens that report.
  useEffect(() => {
    if (!Number.isInteger(requestedId)) return;
    let current = true;
    void bridge.call('doctor.report', { id: requestedId }).then((report) => {
      if (current) setShown(report);
    });
    return () => {
      current = false;
    };
  }, [bridge, requestedId]);

  useEvent('doctor.progress', (event) => {
    if (event.phase === 'started') {
      setLive({ runId: event.runId, steps: event.steps.map((s) => ({ ...s, phase: 'pending' })) });
      return;
    }
    setLive((current) => {
      if (!current || current.runId !== event.runId) return current;
      if (event.phase === 'running') return { ...current, steps: current.steps.map((s) => (s.id === event.id ? { id: s.id, title: s.title, phase: 'running' } : s)) };
      if (event.phase === 'step') return { ...current, steps: current.steps.map((s) => (s.id === event.step.id ? { id: s.id, title: s.title, phase: 'done', step: event.step } : s)) };
      return current;
    });
  });

  const run = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    setShown(null);
    setCopied(false);
    setRunning(true);
    const params = url.trim() === '' ? {} : { url: url.trim() };
    bridge
      .call('doctor.run', params)
      .then(
        (stored) => {
          setShown(stored);
          setHistoryKey((k) => k + 1);
        },
        (e: unknown) => setError(e instanceof BridgeError ? e : new BridgeError({ code: 'INTERNAL', message: String(e) })),
      )
      .finally(() => setRunning(false));
  };

  const report: DoctorReport | null = shown?.report ?? null;
  const steps: LiveStep[] = running || !report ? (live?.steps ?? []) : report.steps.map((step) => ({ id: step.id, title: step.title, phase: 'done', step }));
  const failed = report?.steps.find((s) => s.status === 'fail');
  const warnings = report?.steps.filter((s) => s.status === 'warn').length ?? 0;
  const copy = (event: MouseEvent): void => {
    event.preventDefault(); // the button sits in <summary>: do not toggle the JSON open/closed
    if (!report) return;
    void navigator.clipboard?.writeText(JSON.stringify(report, null, 2)).then(() => setCopied(true));
  };

  return (
    <section className="page" data-page="doctor" data-ready={history.data ? 'true' : undefined} data-running={running ? 'true' : undefined}>
      <PageHeader
        title="Doctor"
        subtitle="Walks env → URL → container → DNS → TCP → TLS → auth → database → server → extensions → privileges → pool → latency, says which step fails, shows the evidence and gives the fix. Passwords are masked. The same as `bulkhead doctor` in a terminal."
      />
      <form className="card doctor-form" onSubmit={run}>
        <button type="submit" className="primary" disabled={running} data-testid="doctor-run">
          {running ? 'Diagnosing…' : 'Diagnose RAG connection'}
        </button>
        <label className="doctor-url">
          Another database (optional; empty = what Bulkhead is configured to use)
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="postgres://user:password@host:5432/database" spellCheck={false} autoComplete="off" />
        </label>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {report && !running ? (
        <div className={`notice ${report.ok ? (warnings > 0 ? 'notice-warn' : 'notice-ok') : 'notice-bad'}`} data-testid="doctor-verdict" data-ok={report.ok ? 'true' : 'false'}>
          <strong>
            {report.ok ? `Connection OK${warnings > 0 ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}` : `Failed at ${failed?.title ?? 'a step'}${failed?.code ? ` (${failed.code})` : ''}`}
          </strong>
          <div className="notice-remedy">
            <code>{report.target}</code> · {shown ? formatTime(shown.at) : ''} · report #{shown?.id}
          </div>
          {failed?.remedy ? <div className="notice-remedy">{failed.remedy}</div> : null}
        </div>
      ) : null}
      {steps.length > 0 ? <DoctorStepList steps={steps} /> : <p className="muted">Press the button to run the diagnosis; each step appears here as it runs.</p>}
      {report && !running ? (
        <details className="card doctor-json">
          <summary>
            Report as JSON{' '}
            <button type="button" onClick={copy} data-testid="doctor-copy">
              {copied ? 'Copied' : 'Copy JSON'}
            </button>
          </summary>
          <pre>{JSON.stringify(report, null, 2)}</pre>
        </details>
      ) : null}
      <DoctorHistoryTable
        rows={history.data}
        selectedId={shown?.id ?? null}
        onOpen={(id) => {
          if (running) return;
          void bridge.call('doctor.report', { id }).then(setShown);
        }}
      />
    </section>
  );
}
