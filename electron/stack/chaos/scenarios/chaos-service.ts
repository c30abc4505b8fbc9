import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ChaosRun, chaosScenarioMethods } from '../../../../shared/contract/chaos';
import { deadlineSignal, sleep, type Clock } from '../../clock/clock';
import type { RagDatabase } from '../../db/rag-database';
import { BulkheadError } from '../../errors';
import type { EventHub } from '../../events/event-hub';
import type { Logger } from '../../log/logger';
import { startSimulator, type RunningSimulator } from '../../providers/simulator/simulator';
import type { HandlersOf } from '../../service/feature';
import type { ChaosContext, ChaosHook, ChaosSession as StressChaosSession } from '../../stress/extensions';
import { planOf } from '../../stress/profiles';
import type { RunsRepo } from '../../stress/runs-repo';
import type { ProxyRegistry } from '../proxy/proxy-registry';
import { SCENARIOS, scenarioNamed, timingFor } from './catalog';
import { createChaosRunsRepo } from './chaos-runs-repo';
import { ChaosSession } from './chaos-session';
import { probeDatabase, probeProvider } from './probes';
import { ProbeTraffic } from './probe-traffic';
import type { PreparedFault, ScenarioContext, ScenarioDefinition } from './scenario';

export interface ChaosServiceDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly hub: EventHub;
  readonly db: Database;
  readonly proxies: ProxyRegistry;
  readonly database: RagDatabase;
  readonly stressRuns: RunsRepo;
}

export interface ChaosService {
  /** Plugs scenarios into stress runs (`--chaos NAME`, the Stress page). */
  readonly hook: ChaosHook;
  readonly handlers: HandlersOf<typeof chaosScenarioMethods>;
  /** Stops a scenario running alone; for stack shutdown. */
  dispose(): Promise<void>;
}

/**
 * Chaos scenarios as a feature of the stack: inside a stress run through the stress service's hook,
 * or alone with light probe traffic. Every scenario run is stored (runs table, kind 'chaos') and
 * pushed as `chaos.run` on each timeline step and with its verdict.
 */
export function createChaosService(deps: ChaosServiceDeps): ChaosService {
  const log = deps.log.child('chaos');
  const repo = createChaosRunsRepo(deps.db);
  const interrupted = repo.markInterrupted(deps.clock.now());
  if (interrupted > 0) log.warn(`${interrupted} chaos scenario run(s) left running by the previous process were marked interrupted`);
  const onChange = (run: ChaosRun): void => {
    try {
      repo.save(run);
    } catch (error) {
      log.warn('could not store a chaos run', error);
    }
    deps.hub.publish('chaos.run', run);
  };
  let alone: { controller: AbortController; done: Promise<void> } | null = null;

  const contextFor = (id: string, base: Omit<ScenarioContext, 'id' | 'lifecycle' | 'proxies' | 'log' | 'clock'>): ScenarioContext => ({
    ...base,
    id,
    clock: deps.clock,
    log,
    lifecycle: deps.database,
    proxies: deps.proxies,
  });

  const hook: ChaosHook = {
    scenarios: () => SCENARIOS.map((s) => ({ name: s.name, description: s.description })),
    async prepare(name, context: ChaosContext): Promise<StressChaosSession> {
      const definition = scenarioNamed(name);
      const run = deps.stressRuns.get(context.runId);
      const trafficMs = run ? planOf(run.config.profile).durationMs : null;
      const scenarioContext = contextFor(`chaos-${context.runId}`, {
        signal: context.signal,
        database: context.database,
        providerUrl: context.providerUrl,
        simulator: context.simulator,
      });
      const fault = await definition.prepare(scenarioContext);
      const session = new ChaosSession({ id: scenarioContext.id, stressRunId: context.runId, definition, timing: timingFor(definition, trafficMs), context: scenarioContext, fault, onChange });
      return {
        ...(fault.providerUrl ? { providerUrl: fault.providerUrl } : {}),
        ...(fault.databaseEndpoint ? { databaseEndpoint: fault.databaseEndpoint } : {}),
        start: () => session.start(),
        stop: () => session.stop(),
        describe: () => session.describe(),
        finish: async (outcome) => {
          const verdict = await session.finish(outcome);
          return { ok: verdict.status === 'passed', detail: verdict.summary };
        },
      };
    },
  };

  const runAlone = async (definition: ScenarioDefinition, overrides: { startAfterS?: number | undefined; faultS?: number | undefined; recoveryBoundS?: number | undefined }): Promise<string> => {
    if (alone) throw new BulkheadError('CHAOS_BUSY', 'A chaos scenario is already running on its own.', { remedy: 'Wait for its verdict (Chaos page), then start the next.' });
    const database = definition.needs.some((need) => need.includes('database')) ? await readyDatabase(deps.database, deps.clock) : deps.database.ready;
    const controller = new AbortController();
    const id = `chaos-${new Date(deps.clock.now()).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    const simulator = definition.needs.includes('simulator') ? await startSimulator({ signal: controller.signal }) : null;
    let fault: PreparedFault;
    const context = contextFor(id, { signal: controller.signal, database, providerUrl: simulator?.openaiBaseUrl ?? null, simulator });
    try {
      fault = await definition.prepare(context);
    } catch (error) {
      await simulator?.stop();
      throw error;
    }
    const timing = timingFor(definition, null, overrides);
    const session = new ChaosSession({ id, stressRunId: null, definition, timing, context, fault, onChange });
    const traffic = new ProbeTraffic({ clock: deps.clock, call: trafficCall(context, fault, simulator) });
    const done = (async () => {
      try {
        traffic.start();
        session.start();
        // The timeline (until recovered, or the bound passed), then a few seconds of traffic to show it holds.
        await session.timelineSettled();
        await sleep(deps.clock, 3000, controller.signal).catch(() => undefined);
        const samples = await traffic.stop();
        await session.finish({ summary: null, samples });
      } catch (error) {
        log.warn(`chaos scenario ${definition.name} failed`, error);
        await session.stop();
        await session.dispose();
      } finally {
        await simulator?.stop();
        alone = null;
      }
    })();
    alone = { controller, done };
    return id;
  };

  return {
    hook,
    async dispose() {
      const running = alone;
      running?.controller.abort();
      await running?.done;
    },
    handlers: {
      'chaos.scenarios.list': () =>
        SCENARIOS.map(({ name, title, description, recovery, needs, defaults }) => ({ name, title, description, recovery, needs: [...needs], defaults: { ...defaults } })),
      'chaos.scenarios.run': async ({ name, startAfterS, faultS, recoveryBoundS }) => ({ id: await runAlone(scenarioNamed(name), { startAfterS, faultS, recoveryBoundS }) }),
      'chaos.runs.list': ({ limit }) => repo.list(limit),
    },
  };
}

async function readyDatabase(database: RagDatabase, clock: Clock) {
  const deadline = deadlineSignal(clock, 30_000);
  try {
    return await database.whenReady(deadline.signal);
  } catch (error) {
    throw new BulkheadError('CHAOS_NEEDS_DATABASE', `This scenario needs the RAG database, which is ${database.state}: ${database.stateDetail}`, {
      remedy: 'Wait for it to be ready (Pool page), or see the Doctor page.',
      cause: error,
    });
  } finally {
    deadline.clear();
  }
}

/** What the probe traffic of a scenario run alone sends: to the dependency the scenario breaks. */
function trafficCall(context: ScenarioContext, fault: PreparedFault, simulator: RunningSimulator | null): (signal: AbortSignal) => Promise<void> {
  if (simulator) return (signal) => probeProvider(simulator.openaiBaseUrl, signal);
  const database = context.database;
  if (!database) return async () => undefined;
  const endpoint = fault.databaseEndpoint;
  if (!endpoint) return (signal) => database.pool.query('chaos.traffic', 'SELECT 1', [], { signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) }).then(() => undefined);
  // Through the fault proxy: a fresh client per request, like an unpooled caller would, counted as ours.
  const applicationName = String(database.clientConfig().application_name ?? 'bulkhead');
  return (signal) => probeDatabase(database, endpoint, signal, applicationName);
}
