import type { alertsMethods } from '../../../shared/contract/alerts';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import { startAlertsService } from './alerts-service';

/**
 * alerts.*: rules over the registered metrics, evaluated on every monitor tick. Set it up after the
 * features that publish snapshots on the tick, so each evaluation sees this tick's figures.
 */
export function setupAlerts(core: StackCore): Feature<HandlersOf<typeof alertsMethods>> {
  const alerts = startAlertsService({ ...core, db: core.store.db });
  return { handlers: alerts.handlers, dispose: () => alerts.stop() };
}
