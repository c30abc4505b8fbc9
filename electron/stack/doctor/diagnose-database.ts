import type { DoctorStep } from '../../../shared/contract/doctor';
import type { Clock } from '../clock/clock';
import type { RagDatabase } from '../db/rag-database';
import type { DoctorInput } from './doctor-context';
import { runDoctor } from './run-doctor';
import { doctorSteps } from './steps';

/**
 * The steps a client needs to get a session on the database (a PgBouncer that refuses the pool's startup
 * parameter included); the rest (extensions, pool, latency) do not stop a run.
 */
const CONNECTION_STEPS = new Set(['env', 'url', 'container', 'dns', 'tcp', 'tls', 'auth', 'database', 'pgbouncer']);

export interface DatabaseDiagnosis {
  /** "Connection URL: The user or password … [URL_PASSWORD_NEEDS_ENCODING]": the doctor's own words. */
  readonly message: string;
  readonly remedy: string | undefined;
  readonly step: DoctorStep;
}

/**
 * Why the configured database cannot be used, as `bulkhead doctor` would say it: the first failing
 * step of the connection walk, or null when the walk passes (the database may just be slow to start).
 */
export async function diagnoseDatabase(input: DoctorInput, signal?: AbortSignal): Promise<DatabaseDiagnosis | null> {
  const report = await runDoctor(input, { steps: doctorSteps.filter((step) => CONNECTION_STEPS.has(step.id)), ...(signal ? { signal } : {}) });
  const failed = report.steps.find((step) => step.status === 'fail');
  if (!failed) return null;
  // The step's first line is its finding, the rest its evidence (as `bulkhead doctor` prints them).
  const [finding = '', ...evidence] = failed.detail.split('\n');
  const message = `${failed.title}: ${finding}${failed.code ? ` [${failed.code}]` : ''}${evidence.length > 0 ? ` — ${evidence.join('; ')}` : ''}`;
  return { message, remedy: failed.remedy, step: failed };
}

/**
 * For stress runs: a run that cannot get a configured database says why in the doctor's words (what
 * `bulkhead doctor` prints). Embedded or absent databases get no diagnosis (null).
 */
export function diagnoseConfiguredDatabase(database: RagDatabase, clock: Clock): (signal: AbortSignal) => Promise<DatabaseDiagnosis | null> {
  return (signal) =>
    database.settingsInfo().mode === 'configured'
      ? diagnoseDatabase({ env: process.env, cwd: process.cwd(), url: database.explicitUrl, urlLabel: "the stack's database option", clock }, signal)
      : Promise.resolve(null);
}
