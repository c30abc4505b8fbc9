import type { Feature, HandlersOf } from '../service/feature';
import type { chaosMethods, chaosScenarioMethods } from '../../../shared/contract/chaos';
import type { StackCore } from '../stack-core';
import type { ChaosHook } from '../stress/extensions';
import { createRunsRepo } from '../stress/runs-repo';
import { proxyHandlers } from './proxy-handlers';
import { createChaosService } from './scenarios/chaos-service';

export interface ChaosFeature extends Feature<HandlersOf<typeof chaosMethods & typeof chaosScenarioMethods>> {
  /** Plugs scenarios into stress runs (`--chaos NAME`, the Stress page). */
  readonly hook: ChaosHook;
}

/**
 * chaos.*: the fault proxies (created by hand on the Chaos page; their list is pushed on every tick while
 * any exist, plus one empty list after the last goes) and the scenarios, alone or inside a stress run.
 */
export function setupChaos(core: StackCore): ChaosFeature {
  const { proxies, monitor, hub } = core;
  let proxiesPublished = 0;
  const stopProxySnapshots = monitor.onTick((tick) => {
    if (proxies.size === 0 && proxiesPublished === 0) return;
    proxiesPublished = proxies.size;
    hub.publish('chaos.proxies', { t: tick.t, proxies: proxies.list() });
  });
  const scenarios = createChaosService({ ...core, db: core.store.db, stressRuns: createRunsRepo(core.store.db) });
  return {
    hook: scenarios.hook,
    handlers: { ...proxyHandlers(proxies), ...scenarios.handlers },
    async dispose() {
      await scenarios.dispose();
      stopProxySnapshots();
    },
  };
}
