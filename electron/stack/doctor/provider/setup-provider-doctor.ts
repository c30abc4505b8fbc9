import type { DoctorProgress } from '../../../../shared/contract/doctor';
import type { providerDoctorMethods } from '../../../../shared/contract/provider-doctor';
import { BulkheadError } from '../../errors';
import type { Feature, HandlersOf } from '../../service/feature';
import type { StackCore } from '../../stack-core';
import { diagnoseProvider } from './diagnose-provider';

/**
 * doctor.provider: the same diagnosis as `bulkhead doctor --provider`, each step pushed as
 * doctor.provider.progress so the Doctor page fills in live. Keys come from the stack's environment and
 * the secret store; a URL typed on the page never receives a key bound elsewhere (the doctor reports it).
 * One diagnosis at a time; reports are returned, not stored.
 */
export function setupProviderDoctor(core: StackCore): Feature<HandlersOf<typeof providerDoctorMethods>> {
  let running = false;
  let runs = 0;
  return {
    handlers: {
      'doctor.provider': async ({ provider, providerUrl, model }) => {
        if (running) throw new BulkheadError('DOCTOR_BUSY', 'A provider diagnosis is already running.', { remedy: 'Wait for it to finish; its steps appear on the Doctor page.' });
        running = true;
        const runId = `provider-doctor-${core.startedAt.toFixed(0)}-${++runs}`;
        const publish = (event: DoctorProgress): void => core.hub.publish('doctor.provider.progress', event);
        try {
          const report = await diagnoseProvider(
            { provider, providerUrl: providerUrl?.trim() || undefined, urlLabel: 'the Doctor page', model },
            { env: core.env, secrets: core.secrets, clock: core.clock },
            { runId, onProgress: publish },
          );
          publish({ phase: 'finished', runId, ok: report.ok, reportId: null });
          core.log.info(`provider doctor: ${report.ok ? 'ok' : 'failed'} for ${report.target}`);
          return { at: core.clock.now(), report };
        } finally {
          running = false;
        }
      },
    },
  };
}
