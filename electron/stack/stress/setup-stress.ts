import type { stressMethods } from '../../../shared/contract/stress';
import { BulkheadError } from '../errors';
import { checkKeyBinding } from '../providers/api-keys';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import type { StressExtensions } from './extensions';
import { exportRun } from './report/run-export';
import type { RunEnvironmentFactory } from './run-environment';
import { createStressService } from './stress-service';

/**
 * stress.*: start, watch and stop runs, and the stored history. The environments (the agent stack a run
 * drives) and the chaos and regression hooks come from their own features; a run's provider keys are
 * checked against their bound origins before it starts.
 */
export function setupStress(
  core: StackCore,
  environments: RunEnvironmentFactory,
  extensions: Omit<StressExtensions, 'keys'>,
): Feature<HandlersOf<typeof stressMethods>> {
  const keys = {
    checkBeforeRun: async (provider: 'openai' | 'anthropic', providerUrl: string | undefined) =>
      void (await checkKeyBinding(provider, providerUrl, { env: core.env, store: core.secrets })),
  };
  const stress = createStressService(core, environments, { ...extensions, keys });
  const clock = core.clock;
  return { handlers: stressHandlers(), dispose: () => stress.dispose() };

  function stressHandlers(): HandlersOf<typeof stressMethods> {
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
}
