import { BulkheadError } from '../../errors';
import { dbRestartScenario, dbTerminateScenario, latencySpikeScenario, partitionScenario } from './database-scenarios';
import { memoryPressureScenario } from './memory-scenario';
import { providerOutageScenario } from './provider-scenario';
import type { ScenarioDefinition, ScenarioTiming } from './scenario';

export const SCENARIOS: readonly ScenarioDefinition[] = [
  dbTerminateScenario,
  dbRestartScenario,
  partitionScenario,
  latencySpikeScenario,
  providerOutageScenario,
  memoryPressureScenario,
];

export function scenarioNamed(name: string): ScenarioDefinition {
  const found = SCENARIOS.find((s) => s.name === name);
  if (!found) {
    throw new BulkheadError('CHAOS_UNKNOWN_SCENARIO', `There is no chaos scenario named ${JSON.stringify(name)}.`, {
      remedy: `Use one of: ${SCENARIOS.map((s) => s.name).join(', ')}.`,
    });
  }
  return found;
}

/**
 * The scenario's timeline fitted to the traffic it runs in: the defaults suit a medium run (60 s:
 * fault after the ramp, recovery well before the end); a shorter run moves the fault earlier and
 * shortens it so that recovery can still be observed before the traffic stops.
 */
export function timingFor(definition: ScenarioDefinition, trafficMs: number | null, overrides: { startAfterS?: number | undefined; faultS?: number | undefined; recoveryBoundS?: number | undefined } = {}): ScenarioTiming {
  const d = definition.defaults;
  let startAfterMs = (overrides.startAfterS ?? d.startAfterS) * 1000;
  let faultMs = (overrides.faultS ?? d.faultS) * 1000;
  const recoveryBoundMs = (overrides.recoveryBoundS ?? d.recoveryBoundS) * 1000;
  if (trafficMs !== null && overrides.startAfterS === undefined && overrides.faultS === undefined) {
    // Leave at least a third of the traffic after the fault, for recovery to show.
    startAfterMs = Math.min(startAfterMs, Math.round(trafficMs * 0.3));
    faultMs = Math.min(faultMs, Math.round(trafficMs * 0.2));
  }
  return { startAfterMs, faultMs, recoveryBoundMs };
}
