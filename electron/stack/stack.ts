import { join } from 'node:path';
import { guardUnhandledRejections } from './process-guards';
import { createSecretsHandlers } from './service/secrets-handlers';
import { createFileSecretStore, SECRETS_FILE } from './secrets/file-secret-store';
import type { SecretCodec } from './secrets/secret-store';
import type { PoolSettings } from '../../shared/contract/pool';
import { startAlertsService } from './alerts/alerts-service';
import { registerBuiltInMetrics } from './alerts/built-in-metrics';
import { MetricRegistry } from './alerts/metric-registry';
import { ProxyRegistry } from './chaos/proxy/proxy-registry';
import { createChaosService } from './chaos/scenarios/chaos-service';
import { createRegressionGate } from './regression/regression-gate';
import { systemClock, type Clock } from './clock/clock';
import { ConcurrencyRegistry } from './concurrency/concurrency-registry';
import { DemoLoad } from './concurrency/demo/demo-load';
import { startRagDatabase, type DatabaseMode } from './db/rag-database';
import { diagnoseDatabase } from './doctor/diagnose-database';
import { EventHub } from './events/event-hub';
import { createLogger, type Logger } from './log/logger';
import { Monitor } from './monitor/monitor';
import { createAppHandlers } from './service/app-handlers';
import { createChaosHandlers } from './service/chaos-handlers';
import { createConcurrencyHandlers } from './service/concurrency-handlers';
import { createDispatcher, type Dispatcher } from './service/dispatcher';
import { createDoctorHandlers } from './service/doctor-handlers';
import type { Handlers } from './service/handlers';
import { createPoolHandlers } from './service/pool-handlers';
import { createRuntimeHandlers } from './service/runtime-handlers';
import { createStressHandlers } from './service/stress-handlers';
import { stressEnvironmentsFor } from './agents/stress-environments';
import { createRunsRepo } from './stress/runs-repo';
import { createStressService } from './stress/stress-service';
import { checkKeyBinding } from './providers/api-keys';
import type { StackCore, StackRole } from './stack-core';
import { openAppStore } from './store/app-store';
import { acquireDataDirLock } from './store/data-dir-lock';
import { createRuntimeSamplesRepo } from './store/runtime-samples-repo';
import { createSettingsRepo } from './store/settings-repo';
import { readVersion } from './version';

export interface StackOptions {
  dataDir: string;
  role: StackRole;
  clock?: Clock;
  log?: Logger;
  /** better-sqlite3 binding for the running ABI (Electron passes its own build). */
  sqliteNativeBinding?: string | undefined;
  monitorIntervalMs?: number;
  /**
   * The RAG database: 'auto' (DATABASE_URL/PG* from env and .env files, else the embedded PostgreSQL in
   * the data dir), 'none', or { url }. Default: 'none' for role 'test', 'auto' otherwise.
   */
  database?: DatabaseMode;
  /** Pool bounds for this stack (tests, stress runs); env variables still apply underneath. */
  poolOverrides?: Partial<PoolSettings>;
  /** How stored secrets are protected: Electron passes safeStorage; the default is the plain 0600 file. */
  secretCodec?: SecretCodec;
  /** The environment features read (provider keys, DATABASE_URL); process.env unless a test isolates it. */
  env?: NodeJS.ProcessEnv;
}

export interface Stack {
  readonly core: StackCore;
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  /** Stops everything that started, in reverse order; safe to call twice. */
  stop(): Promise<void>;
}

type Disposer = () => void | Promise<void>;

/**
 * Starts the agent stack: takes the data dir lock, opens the store, starts the monitor and builds the
 * one dispatcher both transports use. If any step fails, what already started is stopped again before
 * the error propagates, so a failed start leaves no lock, open database or timer behind.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger();
  const disposers: Disposer[] = [];
  const stopAll = async (): Promise<void> => {
    while (disposers.length > 0) {
      const dispose = disposers.pop();
      try {
        await dispose?.();
      } catch (error) {
        log.warn('error while stopping the stack', error);
      }
    }
  };

  try {
    const lock = acquireDataDirLock(options.dataDir, options.role);
    disposers.push(() => lock.release());
    if (lock.recoveredFrom) {
      log.warn(`previous Bulkhead (pid ${lock.recoveredFrom.pid}) did not shut down cleanly; recovering its state`);
    }
    const store = openAppStore({ dataDir: options.dataDir, nativeBinding: options.sqliteNativeBinding });
    disposers.push(() => store.close());

    const hub = new EventHub((error) => log.warn('event listener failed', error));
    const runtimeSamples = createRuntimeSamplesRepo(store.db);
    const monitor = new Monitor({
      clock,
      hub,
      samples: runtimeSamples,
      intervalMs: options.monitorIntervalMs ?? 250,
      onError: (error) => log.warn('monitor tick failed', error),
    });
    disposers.push(() => monitor.stop());

    // Starts in the background: the panel comes up at once and shows "starting"; never throws.
    const database = startRagDatabase({
      dataDir: options.dataDir,
      mode: options.database ?? (options.role === 'test' ? 'none' : 'auto'),
      clock,
      log: log.child('db'),
      ...(options.poolOverrides ? { poolOverrides: options.poolOverrides } : {}),
    });
    disposers.push(() => database.stop());
    const stopPoolSnapshots = monitor.onTick(() => hub.publish('pool.snapshot', database.snapshot()));
    disposers.push(stopPoolSnapshots);

    const proxies = new ProxyRegistry({ clock });
    disposers.push(() => proxies.stopAll());
    let proxiesPublished = 0;
    const stopProxySnapshots = monitor.onTick((tick) => {
      // Every tick while proxies exist, plus one empty list after the last one goes.
      if (proxies.size === 0 && proxiesPublished === 0) return;
      proxiesPublished = proxies.size;
      hub.publish('chaos.proxies', { t: tick.t, proxies: proxies.list() });
    });
    disposers.push(stopProxySnapshots);

    // Metrics alert rules can watch; features register their own sources on core.metrics.
    const metrics = new MetricRegistry((source, error) => log.warn(`metric source ${source} failed`, error));
    disposers.push(registerBuiltInMetrics(metrics, monitor, hub));
    // Long-running roles survive a stray rejected promise; one-shot CLI runs and tests keep Node's crash.
    if (options.role === 'host' || options.role === 'desktop') disposers.push(guardUnhandledRejections(log, metrics));

    // Semaphores, pools and limiters register here; their snapshots go to the panel every tick.
    const concurrency = new ConcurrencyRegistry(clock, (error) => log.warn('concurrency snapshot failed', error));
    disposers.push(monitor.onTick(() => hub.publish('concurrency.snapshot', concurrency.snapshot())));

    const core: StackCore = {
      version: readVersion(),
      role: options.role,
      dataDir: options.dataDir,
      startedAt: clock.now(),
      clock,
      log,
      hub,
      monitor,
      store,
      lock,
      settings: createSettingsRepo(store.db),
      runtimeSamples,
      database,
      proxies,
      metrics,
      concurrency,
      secrets: createFileSecretStore({
        path: join(options.dataDir, SECRETS_FILE),
        ...(options.secretCodec ? { codec: options.secretCodec } : {}),
        onWarning: (message) => log.warn(message),
      }),
    };

    const demoLoad = new DemoLoad({ registry: concurrency, clock, log: log.child('demo'), pool: () => database.ready?.pool ?? null });
    concurrency.setDemoStatus(() => demoLoad.status());
    disposers.push(async () => {
      await demoLoad.stop();
    });

    // Evaluated on every monitor tick, after the features above published their snapshots.
    const alerts = startAlertsService({ ...core, db: store.db });
    disposers.push(() => alerts.stop());

    // Marks runs a crashed process left 'running' as interrupted; stops a running run before the database goes.
    const regression = createRegressionGate({ db: store.db, clock });
    const chaos = createChaosService({ clock, log, hub, db: store.db, proxies, database, stressRuns: createRunsRepo(store.db) });
    disposers.push(() => chaos.dispose());
    // A run that cannot get a configured database says why in the doctor's words (what `bulkhead doctor` prints).
    const diagnose = (signal: AbortSignal) =>
      database.settingsInfo().mode === 'configured'
        ? diagnoseDatabase({ env: process.env, cwd: process.cwd(), url: database.explicitUrl, urlLabel: "the stack's database option", clock }, signal)
        : Promise.resolve(null);
    const env = options.env ?? process.env;
    const keys = { checkBeforeRun: async (provider: 'openai' | 'anthropic', providerUrl: string | undefined) => void (await checkKeyBinding(provider, providerUrl, { env, store: core.secrets })) };
    const stress = createStressService(core, stressEnvironmentsFor(core, env, diagnose), { regression, chaos: chaos.hook, keys });
    disposers.push(() => stress.dispose());

    const handlers: Handlers = {
      ...createAppHandlers(core),
      ...createRuntimeHandlers(core),
      ...createPoolHandlers(database),
      ...createDoctorHandlers(core, database),
      ...createChaosHandlers(proxies),
      ...alerts.handlers,
      ...createConcurrencyHandlers(core, demoLoad),
      ...regression.handlers,
      ...chaos.handlers,
      ...createStressHandlers(stress, core.clock),
      ...createSecretsHandlers(core.secrets, env),
    };
    const dispatcher = createDispatcher(handlers, (method, error) => log.error(`handler ${method} failed`, error));
    monitor.start();

    let stopped: Promise<void> | null = null;
    return {
      core,
      hub,
      dispatcher,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
