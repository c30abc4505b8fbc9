import type { HandlersFor } from './handlers';
import type { StackCore } from '../stack-core';

export function createRuntimeHandlers(core: StackCore): HandlersFor<'runtime.current' | 'runtime.history'> {
  return {
    'runtime.current': () => core.monitor.latest,
    'runtime.history': ({ sinceMs, limit }) =>
      sinceMs === undefined ? core.runtimeSamples.latest(limit) : core.runtimeSamples.since(sinceMs, limit),
  };
}
