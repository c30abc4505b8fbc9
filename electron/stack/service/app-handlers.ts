import type { HandlersFor } from './handlers';
import type { StackCore } from '../stack-core';

export function createAppHandlers(core: StackCore): HandlersFor<'app.info'> {
  return {
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
  };
}
