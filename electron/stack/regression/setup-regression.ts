import type { regressionMethods } from '../../../shared/contract/regression';
import type { Feature, HandlersOf } from '../service/feature';
import type { StackCore } from '../stack-core';
import { createRegressionGate, type RegressionGate } from './regression-gate';

export interface RegressionFeature extends Feature<HandlersOf<typeof regressionMethods>> {
  /** Plugs into stress runs (`--baseline`, `--save-baseline`). */
  readonly gate: RegressionGate;
}

/** regression.*: baselines saved from finished stress runs, and comparisons of later runs with them. */
export function setupRegression(core: StackCore): RegressionFeature {
  const gate = createRegressionGate({ db: core.store.db, clock: core.clock });
  return { handlers: gate.handlers, gate };
}
