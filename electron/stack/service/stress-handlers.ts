import { BulkheadError } from '../errors';
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
  | 'stress.runs.delete';

export function createStressHandlers(stress: StressService): HandlersFor<StressMethod> {
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
    'stress.start': (params, context) => ({ runId: stress.start(params, context.transport === 'in-process' ? 'cli' : 'panel').runId }),
    'stress.stop': ({ runId }) => ({ stopped: stress.stop(runId) }),
    'stress.status': () => stress.status(),
    'stress.runs.list': ({ limit }) => stress.runs().list(limit),
    'stress.runs.get': ({ runId, maxSamples }) => side(runId, maxSamples),
    'stress.runs.compare': ({ a, b, maxSamples }) => ({ a: side(a, maxSamples), b: side(b, maxSamples) }),
    'stress.runs.delete': ({ runId }) => ({ deleted: stress.runs().delete(runId) }),
  };
}
