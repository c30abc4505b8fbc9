import { BulkheadError } from '../errors';
import type { Clock } from '../clock/clock';
import { exportRun } from '../stress/report/run-export';
import type { StressService } from '../stress/stress-service';
import type { HandlersFor } from './handlers';

type StressMethod =
  | 'stress.profiles'
  | 'stress.start'
  | 'stress.stop'
  | 'stress.status'
  | 'stress.runs.list'
  | 'stress.runs.get'
  | 'stress.runs.compare'
  | 'stress.runs.delete'
  | 'stress.runs.export';

export function createStressHandlers(stress: StressService, clock: Clock): HandlersFor<StressMethod> {
  const side = (runId: string, maxSamples: number) => {
    const run = stress.runs().get(runId);
    if (!run) {
      throw new BulkheadError('STRESS_RUN_NOT_FOUND', `There is no stress run ${JSON.stringify(runId)}.`, {
        remedy: 'Pick a run from the History page (stress.runs.list).',
      });
    }
    return { run, samples: stress.runs().samples(runId, maxSamples) };
  };
  return {
    'stress.profiles': () => stress.profiles(),
    'stress.start': async (params, context) => ({ runId: (await stress.start(params, context.transport === 'in-process' ? 'cli' : 'panel')).runId }),
    'stress.stop': ({ runId }) => ({ stopped: stress.stop(runId) }),
    'stress.status': () => stress.status(),
    'stress.runs.list': ({ limit, ...filter }) => stress.runs().list(limit, filter),
    'stress.runs.get': ({ runId, maxSamples }) => side(runId, maxSamples),
    'stress.runs.compare': ({ a, b, maxSamples }) => ({ a: side(a, maxSamples), b: side(b, maxSamples) }),
    'stress.runs.delete': ({ runId }) => {
      const run = stress.runs().get(runId);
      if (!run) return { deleted: false }; // already gone: deleting twice is not an error
      if (run.status === 'running') {
        throw new BulkheadError('STRESS_RUN_RUNNING', `Run ${runId} is still going; a running run cannot be deleted.`, {
          remedy: 'Stop it on the Stress page (or wait for it to finish), then delete it.',
        });
      }
      return { deleted: stress.runs().delete(runId) };
    },
    // Up to 20,000 samples (five and a half hours at one a second; longer runs are thinned evenly), so a
    // report keeps the spikes a chart-resolution thinning would smooth away.
    'stress.runs.export': ({ runId, format }) => {
      const { run, samples } = side(runId, 20_000);
      return exportRun(run, samples, format, clock.now());
    },
  };
}
