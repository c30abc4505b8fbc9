import type { runtimeMethods } from '../../../shared/contract/runtime';
import type { Feature, HandlersOf } from '../service/feature';
import type { RuntimeSamplesRepo } from '../store/runtime-samples-repo';
import type { Monitor } from './monitor';

/** What the runtime feature reads; the stack passes its core. */
export interface RuntimeFeatureCore {
  readonly monitor: Monitor;
  readonly runtimeSamples: RuntimeSamplesRepo;
}

/** runtime.*: the monitor's latest sample and the stored history (one a second). */
export function setupRuntime(core: RuntimeFeatureCore): Feature<HandlersOf<typeof runtimeMethods>> {
  return {
    handlers: {
      'runtime.current': () => core.monitor.latest,
      'runtime.history': ({ sinceMs, limit }) =>
        sinceMs === undefined ? core.runtimeSamples.latest(limit) : core.runtimeSamples.since(sinceMs, limit),
    },
  };
}
