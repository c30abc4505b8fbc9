import type { FormEvent, MouseEvent } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { DoctorHistoryTable } from './DoctorHistoryTable';
import { DoctorStepList } from './DoctorStepList';
import { ProviderDoctorSection } from './ProviderDoctorSection';
import { RedisDoctorSection } from './RedisDoctorSection';
import { formatTime } from './db-format';
import { useDoctorPage } from './use-doctor-page';
import { doctorVerdict } from '../../../../shared/verdicts';

/** "Diagnose RAG connection": the doctor's steps appear one by one with evidence and the fix. */
export function DoctorPage() {
  const page = useDoctorPage();
  const { report, shown, running, steps, history } = page;
  const failed = report?.steps.find((s) => s.status === 'fail');
  const warnings = report?.steps.filter((s) => s.status === 'warn').length ?? 0;
  const copy = (event: MouseEvent): void => {
    event.preventDefault(); // the button sits in <summary>: do not toggle the JSON open/closed
    page.copy();
  };
  const run = (event: FormEvent): void => {
    event.preventDefault();
    page.run();
  };

  return (
    <section className="page" data-page="doctor" data-ready={history.data ? 'true' : undefined} data-running={running ? 'true' : undefined}>
      <PageHeader
        title="Doctor"
        subtitle="Walks env → URL → container → DNS → TCP → TLS → auth → database → server → PgBouncer → extensions → privileges → pool → latency, says which step fails, shows the evidence and gives the fix. Passwords are masked. The same as `bulkhead doctor` in a terminal."
      />
      <form className="card doctor-form" onSubmit={run}>
        <button type="submit" className="primary" disabled={running} data-testid="doctor-run">
          {running ? 'Diagnosing…' : 'Diagnose RAG connection'}
        </button>
        <label className="doctor-url">
          Another database (optional; empty = what Bulkhead is configured to use)
          <input value={page.url} onChange={(e) => page.setUrl(e.target.value)} placeholder="postgres://user:password@host:5432/database" spellCheck={false} autoComplete="off" />
        </label>
      </form>
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {report && !running ? (
        <div className={`notice ${report.ok ? (warnings > 0 ? 'notice-warn' : 'notice-ok') : 'notice-bad'}`} data-testid="doctor-verdict" data-ok={report.ok ? 'true' : 'false'}>
          <strong>
            {doctorVerdict(report)}
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
              {page.copied ? 'Copied' : 'Copy JSON'}
            </button>
          </summary>
          <pre>{JSON.stringify(report, null, 2)}</pre>
        </details>
      ) : null}
      <DoctorHistoryTable
        rows={history.data}
        selectedId={shown?.id ?? null}
        onOpen={page.openReport}
      />
      <ProviderDoctorSection />
      <RedisDoctorSection />
    </section>
  );
}
