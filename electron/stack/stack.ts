import { join } from 'node:path';
import type { PoolSettings } from '../../shared/contract/pool';
import { stressEnvironmentsFor } from './agents/stress-environments';
import { registerBuiltInMetrics } from './alerts/built-in-metrics';
import { MetricRegistry } from './monitor/metric-registry';
import { setupAlerts } from './alerts/setup-alerts';
import { setupApp } from './app/setup-app';
import { setupAttach, type AttachSettings } from './attach/setup-attach';
import { ProxyRegistry } from './chaos/proxy/proxy-registry';
import { setupChaos } from './chaos/setup-chaos';
import { systemClock, type Clock } from './clock/clock';
import { ConcurrencyRegistry } from './concurrency/concurrency-registry';
import { startRagDatabase, type DatabaseMode } from './db/rag-database';
import { setupPgbouncerView } from './db/pgbouncer/setup-pgbouncer-view';
import { setupPool } from './db/setup-pool';
import { setupDemo } from './demo/setup-demo';
import { diagnoseConfiguredDatabase } from './doctor/diagnose-database';
import { setupProviderDoctor } from './doctor/provider/setup-provider-doctor';
import { setupRedisDoctor } from './doctor/redis/setup-redis-doctor';
import { setupDoctor } from './doctor/setup-doctor';
import { EventHub } from './events/event-hub';
import { createLogger, type Logger } from './log/logger';
import { Monitor } from './monitor/monitor';
import { setupRuntime } from './monitor/setup-runtime';
import { guardUnhandledRejections } from './process-guards';
import { setupSecrets } from './providers/setup-secrets';
import { setupRegression } from './regression/setup-regression';
import { createFileSecretStore, SECRETS_FILE } from './secrets/file-secret-store';
import type { SecretCodec } from './secrets/secret-store';
import { createDispatcher, type Dispatcher } from './service/dispatcher';
import { handlersOf, type Feature } from './service/feature';
import type { StackCore, StackRole } from './stack-core';
import { openAppStore } from './store/app-store';
import { acquireDataDirLock } from './store/data-dir-lock';
import { createRuntimeSamplesRepo } from './store/runtime-samples-repo';
import { createSettingsRepo } from './store/settings-repo';
import { setupStress } from './stress/setup-stress';
import { withTargetRuns } from './target/target-environment';
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
  /** The attach endpoint for other processes; default: on for the desktop app and the browser host. */
  attach?: AttachSettings;
}

export interface Stack {
  readonly core: StackCore;
  readonly hub: EventHub;
  readonly dispatcher: Dispatcher;
  /** `ws://127.0.0.1:PORT/attach?token=…` for BULKHEAD_ATTACH; null when the endpoint is off. */
  attachUrl(): string | null;
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

    const proxies = new ProxyRegistry({ clock });
    disposers.push(() => proxies.stopAll());

    // Metrics alert rules can watch; features register their own sources on core.metrics.
    const metrics = new MetricRegistry((source, error) => log.warn(`metric source ${source} failed`, error));
    disposers.push(registerBuiltInMetrics(metrics, monitor, hub));
    // Long-running roles survive a stray rejected promise; one-shot CLI runs and tests keep Node's crash.
    if (options.role === 'host' || options.role === 'desktop') disposers.push(guardUnhandledRejections(log, metrics));

    // Semaphores, pools and limiters register here; the concurrency feature pushes their snapshots.
    const concurrency = new ConcurrencyRegistry(clock, (error) => log.warn('concurrency snapshot failed', error));

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
      env: options.env ?? process.env,
    };

    // Each feature: setupX(core) → { handlers, dispose }. Features that publish snapshots on the monitor
    // tick come before alerts, which evaluate on the same tick; disposal runs in reverse.
    const started = <F extends Feature>(feature: F): F => {
      if (feature.dispose) disposers.push(() => feature.dispose?.());
      return feature;
    };
    const attach = started(await setupAttach(core, options.attach ?? { enabled: options.role === 'host' || options.role === 'desktop' }));
    const regression = started(setupRegression(core));
    const chaos = started(setupChaos(core));
    // A run whose profile names an HTTP target loads that target; every other run the agent stack.
    const environments = withTargetRuns(stressEnvironmentsFor(core, core.env, diagnoseConfiguredDatabase(core.database, clock)));
    const features = [
      started(setupApp(core)),
      started(setupRuntime(core)),
      started(setupPool(core)),
      started(setupDoctor(core)),
      started(setupProviderDoctor(core)),
      started(setupRedisDoctor(core)),
      started(setupPgbouncerView(core)),
      started(setupDemo(core)),
      started(setupAlerts(core)),
      started(setupSecrets(core)),
      regression,
      chaos,
      started(setupStress(core, environments, { regression: regression.gate, chaos: chaos.hook })),
      attach,
    ] as const;
    const handlers = handlersOf(features);
    const dispatcher = createDispatcher(handlers, (method, error) => log.error(`handler ${method} failed`, error));
    monitor.start();

    let stopped: Promise<void> | null = null;
    return {
      core,
      hub,
      dispatcher,
      attachUrl: () => attach.url(),
      stop: () => (stopped ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
