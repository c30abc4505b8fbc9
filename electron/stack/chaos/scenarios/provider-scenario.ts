import { BulkheadError } from '../../errors';
import { probeProvider } from './probes';
import type { ScenarioDefinition } from './scenario';

export const providerOutageScenario: ScenarioDefinition = {
  name: 'provider-outage',
  title: 'Provider outage',
  description: 'The provider simulator answers every request with a 5xx (half of them 503 "overloaded", the rest 500) for the fault duration.',
  recovery: 'Within the bound after the outage, the provider answers again and the run completes requests without errors; failed requests failed with a typed provider error, none was lost, and retries did not run away.',
  needs: ['simulator'],
  defaults: { startAfterS: 20, faultS: 8, recoveryBoundS: 15 },
  async prepare(context) {
    const simulator = context.simulator;
    if (!simulator) {
      throw new BulkheadError('CHAOS_NEEDS_SIMULATOR', 'The provider-outage scenario switches faults on the built-in provider simulator, and this run calls a real provider.', {
        remedy: 'Run it with --provider simulator (the default).',
      });
    }
    return {
      inject: async () => {
        simulator.control.setFault({ kind: 'overload', rate: 0.5 });
        simulator.control.setFault({ kind: 'server-error', rate: 1, status: 500 });
        return `simulator ${simulator.url}: every request fails (503 overloaded or 500)`;
      },
      heal: async () => {
        simulator.control.clearFault();
        return 'simulator faults cleared';
      },
      // 429 counts as answering: the provider is there, it only limits.
      probe: (signal) => probeProvider(simulator.openaiBaseUrl, signal),
      dispose: async () => {
        simulator.control.clearFault();
      },
    };
  },
};
