import type { concurrencyMethods } from '../../../shared/contract/concurrency';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import { DemoLoad } from './demo-load';

/**
 * concurrency.*: every registered semaphore, pool and limiter (pushed to the panel on each monitor
 * tick), and the demo load that makes them move on the Semaphores and Limiters pages.
 */
export function setupDemo(core: StackCore): Feature<HandlersOf<typeof concurrencyMethods>> {
  const { concurrency, database, monitor, hub, clock, log } = core;
  const stopSnapshots = monitor.onTick(() => hub.publish('concurrency.snapshot', concurrency.snapshot()));
  const demo = new DemoLoad({ registry: concurrency, clock, log: log.child('demo'), pool: () => database.ready?.pool ?? null });
  concurrency.setDemoStatus(() => demo.status());
  return {
    handlers: {
      'concurrency.snapshot': () => concurrency.snapshot(),
      'concurrency.demo.start': ({ durationSec }) => demo.start(durationSec),
      'concurrency.demo.stop': () => demo.stop(),
    },
    async dispose() {
      await demo.stop();
      stopSnapshots();
    },
  };
}
