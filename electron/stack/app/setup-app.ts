import type { appMethods } from '../../../shared/contract/app';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';

/** app.*: what this Bulkhead is and how the caller reached it. */
export function setupApp(core: StackCore): Feature<HandlersOf<typeof appMethods>> {
  return {
    handlers: {
      'app.info': (_params, context) => ({
        name: 'Bulkhead',
        version: core.version,
        transport: context.transport,
        dataDir: core.dataDir,
        pid: process.pid,
        platform: `${process.platform}-${process.arch}`,
        nodeVersion: process.versions.node,
        startedAt: core.startedAt,
        sampleIntervalMs: core.monitor.intervalMs,
      }),
    },
  };
}
