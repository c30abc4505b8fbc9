import type { FormEvent } from 'react';
import { doctorVerdict } from '../../../../shared/verdicts';
import { ErrorNotice } from '../../components/ErrorNotice';
import { DoctorStepList } from './DoctorStepList';
import { useRedisDoctor } from './use-redis-doctor';

/** The Doctor page's Redis section: the shared-limits store, checked like the database (`bulkhead doctor --redis`). */
export function RedisDoctorSection() {
  const redis = useRedisDoctor();
  const { report } = redis;
  const failed = report?.steps.find((step) => step.status === 'fail');
  const warnings = report?.steps.filter((step) => step.status === 'warn').length ?? 0;
  const run = (event: FormEvent): void => {
    event.preventDefault();
    redis.run();
  };
  return (
    <section className="card doctor-redis" data-testid="redis-doctor" aria-labelledby="redis-doctor-title">
      <h2 id="redis-doctor-title">Redis store for shared limits</h2>
      <p className="muted">
        URL → DNS → TCP → TLS → AUTH/ACL → PING → Lua scripting (the limiter runs every admission as a script) → maxmemory-policy (an evicted
        bucket comes back full) → latency. The same as <code>bulkhead doctor --redis URL</code>.
      </p>
      <form className="doctor-form" onSubmit={run}>
        <button type="submit" disabled={redis.running} data-testid="redis-doctor-run">
          {redis.running ? 'Diagnosing…' : 'Diagnose Redis store'}
        </button>
        <label className="doctor-url">
          Redis URL (optional; empty = BULKHEAD_REDIS_URL)
          <input value={redis.url} onChange={(e) => redis.setUrl(e.target.value)} placeholder="redis://:password@host:6379/0" spellCheck={false} autoComplete="off" data-testid="redis-doctor-url" />
        </label>
      </form>
      {redis.error ? <ErrorNotice error={redis.error} /> : null}
      {report ? (
        <>
          <div className={`notice ${report.ok ? (warnings > 0 ? 'notice-warn' : 'notice-ok') : 'notice-bad'}`} data-testid="redis-doctor-verdict" data-ok={report.ok ? 'true' : 'false'}>
            <strong>{doctorVerdict(report)}</strong>
            <div className="notice-remedy">
              <code>{report.target}</code>
            </div>
            {failed?.remedy ? <div className="notice-remedy">{failed.remedy}</div> : null}
          </div>
          <DoctorStepList steps={report.steps.map((step) => ({ id: step.id, title: step.title, phase: 'done' as const, step }))} />
        </>
      ) : null}
    </section>
  );
}
