import type { DemoLoad } from '../concurrency/demo/demo-load';
import type { StackCore } from '../stack-core';
import type { HandlersFor } from './handlers';

export function createConcurrencyHandlers(
  core: StackCore,
  demo: DemoLoad,
): HandlersFor<'concurrency.snapshot' | 'concurrency.demo.start' | 'concurrency.demo.stop'> {
  return {
    'concurrency.snapshot': () => core.concurrency.snapshot(),
    'concurrency.demo.start': ({ durationSec }) => demo.start(durationSec),
    'concurrency.demo.stop': () => demo.stop(),
  };
}
