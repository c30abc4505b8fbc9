import type { FormEvent } from 'react';
import type { DoctorProvider } from '../../../../shared/contract';
import { doctorVerdict } from '../../../../shared/verdicts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DoctorStepList } from './DoctorStepList';
import { formatTime } from './db-format';
import { useProviderDoctor } from './use-provider-doctor';

const PROVIDER_LABELS: Record<DoctorProvider, string> = {
  simulator: 'Built-in simulator',
  openai: 'OpenAI (or compatible)',
  anthropic: 'Anthropic',
};

/** "Diagnose the provider": the same step list as the database, for the path to an LLM API. */
export function ProviderDoctorSection() {
  const page = useProviderDoctor();
  const { report, running, steps } = page;
  // Every failing step's fix: a missing key does not stop the network steps, so two can fail at once.
  const failures = report?.steps.filter((s) => s.status === 'fail' && s.remedy) ?? [];
  const warnings = report?.steps.filter((s) => s.status === 'warn').length ?? 0;
  const run = (event: FormEvent): void => {
    event.preventDefault();
    page.run();
  };
  return (
    <section className="doctor-provider" data-testid="provider-doctor" aria-labelledby="provider-doctor-title" data-running={running ? 'true' : undefined}>
      <h2 id="provider-doctor-title">Provider</h2>
      <p className="muted">
        Walks key → URL → proxy → DNS → TCP → TLS → HTTP → auth → model → limits → latency with one free request (the models list). Keys are masked, and a saved key goes only to the
        origin it is bound to. The same as <code>bulkhead doctor --provider</code>.
      </p>
      <form className="card doctor-form" onSubmit={run}>
        <label>
          Provider
          <select value={page.provider} onChange={(e) => page.setProvider(e.target.value as DoctorProvider)} data-testid="provider-doctor-provider">
            {(Object.keys(PROVIDER_LABELS) as DoctorProvider[]).map((name) => (
              <option key={name} value={name}>
                {PROVIDER_LABELS[name]}
              </option>
            ))}
          </select>
        </label>
        <label className="doctor-url">
          Base URL (optional; empty = where the key is bound)
          <input
            value={page.url}
            onChange={(e) => page.setUrl(e.target.value)}
            disabled={page.provider === 'simulator'}
            placeholder={page.provider === 'anthropic' ? 'https://api.anthropic.com' : 'https://api.openai.com/v1'}
            spellCheck={false}
            autoComplete="off"
            data-testid="provider-doctor-url"
          />
        </label>
        <button type="submit" className="primary" disabled={running} data-testid="provider-doctor-run">
          {running ? 'Diagnosing…' : 'Run'}
        </button>
      </form>
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {report && !running ? (
        <div className={`notice ${report.ok ? (warnings > 0 ? 'notice-warn' : 'notice-ok') : 'notice-bad'}`} data-testid="provider-doctor-verdict" data-ok={report.ok ? 'true' : 'false'}>
          <strong>{doctorVerdict(report)}</strong>
          <div className="notice-remedy">
            <code>{report.target}</code> · {page.result ? formatTime(page.result.at) : ''}
          </div>
          {failures.map((step) => (
            <div key={step.id} className="notice-remedy">
              {failures.length > 1 ? <strong>{step.title}: </strong> : null}
              {step.remedy}
            </div>
          ))}
        </div>
      ) : null}
      {steps.length > 0 ? <DoctorStepList steps={steps} testId="provider-doctor-steps" /> : <p className="muted">Pick a provider and press Run; each step appears here as it runs.</p>}
    </section>
  );
}
