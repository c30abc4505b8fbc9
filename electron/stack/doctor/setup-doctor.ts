import type { DoctorProgress, doctorMethods } from '../../../shared/contract/doctor';
import { deadlineSignal } from '../clock/clock';
import { BulkheadError } from '../errors';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import { createDoctorReportsRepo } from '../store/doctor-reports-repo';
import type { EmbeddedAccess } from './doctor-context';
import { runDoctor } from './run-doctor';

const KEEP_REPORTS = 500;

/**
 * doctor.*: runs the same diagnosis as `bulkhead doctor`, pushing each step as doctor.progress so the
 * page fills in live, and keeps the reports in the app store next to the CLI's. One run at a time.
 */
export function setupDoctor(core: StackCore): Feature<HandlersOf<typeof doctorMethods>> {
  const database = core.database;
  const reports = createDoctorReportsRepo(core.store.db);
  let running: string | null = null;
  let runs = 0;

  const embedded = async (): Promise<EmbeddedAccess | null> => {
    if (!database.embeddedConnection() && database.state === 'starting') {
      const deadline = deadlineSignal(core.clock, 20_000);
      await database
        .whenReady(deadline.signal)
        .catch(() => undefined)
        .finally(() => deadline.clear());
    }
    const settings = database.embeddedConnection();
    const pid = database.snapshot().embedded?.pid;
    return settings ? { settings, description: `the embedded PostgreSQL of this Bulkhead (pid ${pid ?? '?'})` } : null;
  };

  const handlers: HandlersOf<typeof doctorMethods> = {
    'doctor.run': async ({ url }) => {
      if (running) throw new BulkheadError('DOCTOR_BUSY', 'A diagnosis is already running.', { remedy: 'Wait for it to finish; its steps appear on the Doctor page.' });
      const runId = `doctor-${core.startedAt.toFixed(0)}-${++runs}`;
      running = runId;
      const publish = (event: DoctorProgress): void => core.hub.publish('doctor.progress', event);
      try {
        // Without a URL from the page, check what this stack uses: its explicit URL, or env/.env/embedded.
        const target = url ?? database.explicitUrl;
        const urlLabel = url !== undefined ? 'the Doctor page' : 'the stack\'s database option';
        const report = await runDoctor(
          // A URL from the page is checked with only what it carries (no PGPASSWORD, .env or ~/.pgpass for it).
          { env: process.env, cwd: process.cwd(), url: target, urlLabel, urlOnly: url !== undefined, embedded, poolMax: database.settingsInfo().settings.max, clock: core.clock },
          { runId, onProgress: publish },
        );
        const at = core.clock.now();
        const id = reports.insert(report, at);
        reports.prune(KEEP_REPORTS);
        publish({ phase: 'finished', runId, ok: report.ok, reportId: id });
        core.log.info(`doctor: ${report.ok ? 'ok' : 'failed'} for ${report.target} (report #${id})`);
        return { id, at, report };
      } finally {
        running = null;
      }
    },
    'doctor.history': ({ limit }) => reports.history(limit),
    'doctor.report': ({ id }) => {
      const stored = reports.get(id);
      if (!stored) throw new BulkheadError('DOCTOR_REPORT_NOT_FOUND', `There is no doctor report #${id}.`, { remedy: 'Pick one from doctor.history.' });
      return stored;
    },
  };
  return { handlers };
}
