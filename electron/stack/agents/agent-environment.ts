import { deadlineSignal } from '../clock/clock';
import { configuredModel, DEFAULT_MODELS } from '../providers/configured-model';
import type { AdaptiveSemaphore } from '../concurrency/adaptive/adaptive-semaphore';
import { Semaphore } from '../concurrency/semaphore';
import type { WorkerPool } from '../concurrency/worker-pool/worker-pool';
import { clientConfigFor, queryWithNewClient } from '../db/pool/client-config';
import { InstrumentedPool } from '../db/pool/instrumented-pool';
import type { RagDatabase, ReadyDatabase } from '../db/rag-database';
import type { DatabaseTarget } from '../db/database-target';
import { BulkheadError } from '../errors';
import { naiveRetries } from '../providers/call-pipeline';
import { openProvider, resolveTargetKey, SIMULATOR_KEY, type OpenedProvider, type ProviderTarget } from '../providers/provider-setup';
import type { ProviderName } from '../providers/provider-types';
import type { SecretStore } from '../secrets/secret-store';
import { startSimulator, type RunningSimulator } from '../providers/simulator/simulator';
import type { EndpointRewrites, RunEnvironment, RunEnvironmentFactory, RunEnvironmentRequest } from '../stress/run-environment';
import { dbConnectionProbe } from '../stress/db-connection-probe';
import type { ConnectionProbe } from '../stress/stress-runner';
import { ADAPTIVE_BOUNDS, adaptiveGovernor, createAdaptiveLimits, type AdaptiveLimits } from './adaptive-limits';
import { ANSWERS_DDL, type AgentDataAccess } from './agent-data';
import { agentWorkload, OPEN_GATE, type AgentGate, type ProviderStats } from './agent-workload';
import { GOVERNED_BOUNDS, simulatorSettingsFor, UNBOUNDED_BOUNDS, type GovernedBounds } from './agent-settings';
import { semaphoreGate, timedGovernor } from './governance-adapters';
import { governedData } from './governed-data';
import type { ProviderGovernanceFactory } from './provider-governance';
import { StageTimings } from './stage-timings';
import { unboundedData } from './unbounded-data';

export interface AgentEnvironmentDeps {
  database: RagDatabase;
  env: NodeJS.ProcessEnv;
  secrets?: SecretStore;
  /** The provider limiter and retry loop for governed mode. */
  governance: ProviderGovernanceFactory;
  /** The worker pool that chunks documents off the event loop (governed ingest); created per run. */
  chunkerPool: (clock: RunEnvironmentRequest['clock']) => WorkerPool;
  /** Shows the run's semaphore and worker pool on the panel while it runs; returns the undo. */
  register?: (primitive: Semaphore | AdaptiveSemaphore | WorkerPool) => () => void;
  bounds?: GovernedBounds;
  /** How long a run waits for a database that is still starting. Default 120 s. */
  databaseWaitMs?: number;
  /**
   * Why the database cannot be used, in the doctor's words (its first failing step), or null when the
   * doctor finds nothing wrong. Asked when a run cannot get the database; absent in tests.
   */
  diagnoseDatabase?: (signal: AbortSignal) => Promise<DatabaseDiagnosis | null>;
}

/** The doctor's first failing step as one sentence and its fix. */
export interface DatabaseDiagnosis {
  readonly message: string;
  readonly remedy?: string | undefined;
}

/** How long a run waits for a database that is still starting or unreachable before it gives up. */
export const DEFAULT_DATABASE_WAIT_MS = 120_000;

/**
 * Builds the stack pieces of one stress run from the agent stack: the RAG database (waiting for it if
 * it is still starting), the in-process provider simulator (or the real provider), the server
 * connection probe, and — once a chaos scenario had its say — the workload in governed or unbounded
 * mode. Everything it opens is closed by `close()`.
 */
export function agentEnvironmentFactory(deps: AgentEnvironmentDeps): RunEnvironmentFactory {
  return async (request) => {
    const closers: Array<() => Promise<void> | void> = [];
    const close = async (): Promise<void> => {
      while (closers.length > 0) {
        try {
          await closers.pop()!();
        } catch (error) {
          request.log.warn('closing a stress run resource failed', error);
        }
      }
    };
    try {
      return await prepare(deps, request, closers, close);
    } catch (error) {
      await close();
      throw error;
    }
  };
}

async function prepare(
  deps: AgentEnvironmentDeps,
  request: RunEnvironmentRequest,
  closers: Array<() => Promise<void> | void>,
  close: () => Promise<void>,
): Promise<RunEnvironment> {
  const mix = request.profile.mix;
  const needsProvider = (mix['rag-answer'] ?? 0) > 0;
  const needsDatabase = needsProvider || (mix.ingest ?? 0) > 0;
  if (request.provider === 'simulator' && request.providerUrl) {
    throw new BulkheadError('STRESS_BAD_PROVIDER', 'A provider URL was given together with the built-in simulator.', {
      remedy: 'Use --provider openai or --provider anthropic with --provider-url, or drop --provider-url.',
    });
  }

  const ready = needsDatabase ? await waitForDatabase(deps, request) : null;
  if (ready) await ready.pool.query('stress:schema', ANSWERS_DDL);

  let simulator: RunningSimulator | null = null;
  if (needsProvider && request.provider === 'simulator') {
    simulator = await startSimulator({ clock: request.clock, settings: simulatorSettingsFor(request.profile), seed: 1, signal: request.signal });
    closers.push(() => simulator!.stop());
  }
  const providerName: ProviderName = request.provider === 'anthropic' ? 'anthropic' : 'openai';
  const providerUrl = !needsProvider ? null : simulator ? simulator.openaiBaseUrl : (request.providerUrl ?? null);

  let connections: ConnectionProbe | null = null;
  if (ready) {
    const probe = dbConnectionProbe(ready.clientConfig(), ready.pool.settings.applicationName);
    closers.push(() => probe.close());
    // The probe's own connection is opened now, before the load can take every server slot.
    await probe.sample();
    connections = probe;
  }

  const bounds = request.mode === 'adaptive' ? ADAPTIVE_BOUNDS : (deps.bounds ?? GOVERNED_BOUNDS);
  let described: string | null = needsProvider ? `${simulator ? 'simulator' : providerName} ${providerUrl ?? '(default endpoint)'}` : null;

  const buildWorkload = async (rewrites: EndpointRewrites) => {
    const timings = new StageTimings();
    const stats: ProviderStats = { http429: 0, retries: 0, calls: 0 };
    // Adaptive mode is governed mode with provider calls and retrieval on adaptive limits.
    const governed = request.mode !== 'unbounded';
    let adaptive: AdaptiveLimits | null = null;
    if (request.mode === 'adaptive') {
      const limits = createAdaptiveLimits(request.clock, deps.register);
      closers.push(() => limits.close());
      adaptive = limits;
    }
    let chunk: (body: string, signal: AbortSignal) => Promise<string[]> = () => Promise.reject(new Error('no chunker in this run'));
    if (governed && (mix.ingest ?? 0) > 0) {
      const pool = deps.chunkerPool(request.clock);
      const unregister = deps.register?.(pool);
      closers.push(async () => {
        unregister?.();
        await pool.close();
      });
      chunk = (body, signal) => pool.run<string[]>('chunk', { body }, { signal, label: 'ingest' });
    }
    const data = ready ? openData(ready, rewrites, governed, bounds, chunk, request, timings, adaptive?.retrieval) : null;
    let provider: OpenedProvider | null = null;
    const baseUrl = rewrites.providerUrl ?? providerUrl ?? undefined;
    // A real provider's key is resolved first: its budget scope (a hash, never the key) keys the limiter's
    // buckets, so runs on two keys never share a budget and every process on one key does (BULKHEAD_REDIS_URL).
    const resolvedKey = needsProvider && !simulator ? await resolveTargetKey({ kind: providerName, ...(baseUrl ? { baseUrl } : {}) }, { env: deps.env, ...(deps.secrets ? { secrets: deps.secrets } : {}) }) : undefined;
    const governance = governed && needsProvider
      ? deps.governance({ provider: providerName, limits: limitsFor(simulator), clock: request.clock, name: `provider.${providerName}`, ...(resolvedKey ? { scope: resolvedKey.budgetScope() } : {}) })
      : null;
    if (governance) closers.push(() => governance.close());
    if (needsProvider) {
      const target: ProviderTarget = simulator ? { kind: 'openai', baseUrl, apiKey: SIMULATOR_KEY } : { kind: providerName, ...(baseUrl ? { baseUrl } : {}) };
      provider = await openProvider({
        target,
        ...(resolvedKey ? { resolvedKey } : {}),
        clock: request.clock,
        env: deps.env,
        // The in-process simulator (or a fault proxy in front of it) is on loopback: no HTTPS_PROXY for it.
        direct: simulator !== null,
        ...(deps.secrets ? { secrets: deps.secrets } : {}),
        pool: { connections: governed ? bounds.providerConnections : UNBOUNDED_BOUNDS.providerConnections },
        governor: governance ? timedGovernor(adaptive ? adaptiveGovernor(providerName, governance.governor, adaptive.provider) : governance.governor, request.clock, timings) : undefined,
        retry: governance ? governance.retry : naiveRetries(UNBOUNDED_BOUNDS.naiveRetries),
        onAttempt: (attempt) => {
          stats.calls += 1;
          if (attempt.attempt > 1) stats.retries += 1;
          if (attempt.status === 429) stats.http429 += 1;
        },
      });
      const opened = provider;
      closers.push(() => opened.close());
      const info = opened.describe();
      described = `${simulator ? 'simulator' : info.provider} ${info.endpoint}${simulator ? '' : ` (key ${info.apiKey})`}`;
    }
    const gate: AgentGate = governed ? governedGate(bounds, deps, request, timings) : OPEN_GATE;
    const workload = agentWorkload({
      runId: request.runId,
      clock: request.clock,
      description: `${request.mode} agents`,
      gate,
      data,
      provider: provider?.client ?? null,
      providerName: described ?? 'none',
      model: modelFor(providerName, deps.env, simulator !== null),
      timings,
      stats,
      ...(adaptive ? { adaptiveLimits: adaptive.current } : {}),
    });
    // First to close (closers run last-in first-out): the run's rows go while the pool is still there.
    closers.push(() => workload.close());
    return workload;
  };

  return {
    database: ready,
    simulator,
    providerUrl,
    get providerDescription() {
      return described;
    },
    connections,
    buildWorkload,
    close,
  };
}

async function waitForDatabase(deps: AgentEnvironmentDeps, request: RunEnvironmentRequest): Promise<ReadyDatabase> {
  const waitMs = deps.databaseWaitMs ?? DEFAULT_DATABASE_WAIT_MS;
  // A held timer: the wait itself keeps the process alive (AbortSignal.timeout's timer would not).
  const timeout = deadlineSignal(request.clock, waitMs);
  try {
    return await deps.database.whenReady(AbortSignal.any([request.signal, timeout.signal]));
  } catch (error) {
    if (request.signal.aborted) throw error;
    const diagnosis = await deps.diagnoseDatabase?.(request.signal).catch((failure: unknown) => {
      request.log.warn('diagnosing the RAG database failed', failure);
      return null;
    });
    if (diagnosis) {
      throw new BulkheadError('STRESS_DB_UNAVAILABLE', `The RAG database cannot be used — ${diagnosis.message}`, { remedy: diagnosis.remedy, cause: error });
    }
    const state = deps.database.state;
    throw new BulkheadError('STRESS_DB_UNAVAILABLE', `The RAG database is not ready (${state}: ${deps.database.stateDetail}).`, {
      remedy: timeout.signal.aborted ? `It did not become ready within ${waitMs / 1000} s. Run \`bulkhead doctor\` to see which step fails.` : 'Run `bulkhead doctor` to see which step fails.',
      cause: error,
    });
  } finally {
    timeout.clear();
  }
}

function openData(
  ready: ReadyDatabase,
  rewrites: EndpointRewrites,
  governed: boolean,
  bounds: GovernedBounds,
  chunk: (body: string, signal: AbortSignal) => Promise<string[]>,
  request: RunEnvironmentRequest,
  timings: StageTimings,
  retrievalLimit?: AdaptiveSemaphore,
): AgentDataAccess {
  const endpoint = rewrites.databaseEndpoint;
  const target: DatabaseTarget = endpoint ? { ...ready.target, settings: { ...ready.target.settings, host: endpoint.host, port: endpoint.port } } : ready.target;
  const settings = ready.pool.settings;
  if (!governed) {
    const query = endpoint ? (text: string, values?: unknown[]) => queryWithNewClient(target, settings, text, values) : ready.queryUnbounded.bind(ready);
    return unboundedData({ query: query as Parameters<typeof unboundedData>[0]['query'], retrieval: ready.retrieval, clock: request.clock, timings });
  }
  // Through a chaos proxy the run gets its own pool (same bounds); otherwise the stack's, as the Pool page shows it.
  const pool = endpoint ? new InstrumentedPool({ config: clientConfigFor(target, settings), settings, clock: request.clock, log: request.log }) : ready.pool;
  return governedData({ pool, ownsPool: endpoint !== undefined, retrieval: ready.retrieval, clock: request.clock, timings, fanOut: bounds.retrievalFanOut, chunk, ...(retrievalLimit ? { retrievalLimit } : {}) });
}

function governedGate(bounds: GovernedBounds, deps: AgentEnvironmentDeps, request: RunEnvironmentRequest, timings: StageTimings): AgentGate {
  const semaphore = new Semaphore({ name: 'agents', permits: bounds.agentPermits, maxWaiting: bounds.agentMaxWaiting, clock: request.clock });
  const unregister = deps.register?.(semaphore);
  const gate = semaphoreGate(semaphore, { clock: request.clock, timings, waitTimeoutMs: bounds.agentWaitTimeoutMs });
  return {
    enter: gate.enter,
    close: () => {
      gate.close();
      unregister?.();
    },
  };
}

function limitsFor(simulator: RunningSimulator | null): { rpm: number; tpm: number } | null {
  if (!simulator) return null;
  const settings = simulator.control.settings();
  return { rpm: settings.openai.rpm, tpm: settings.openai.tpm };
}

function modelFor(provider: ProviderName, env: NodeJS.ProcessEnv, simulated: boolean): string {
  if (provider === 'openai' && simulated) return DEFAULT_MODELS.openai;
  return configuredModel(provider, env).model;
}

