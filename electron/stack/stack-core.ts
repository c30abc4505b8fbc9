import type { MetricRegistry } from './monitor/metric-registry';
import type { ProxyRegistry } from './chaos/proxy/proxy-registry';
import type { Clock } from './clock/clock';
import type { ConcurrencyRegistry } from './concurrency/concurrency-registry';
import type { RagDatabase } from './db/rag-database';
import type { EventHub } from './events/event-hub';
import type { Logger } from './log/logger';
import type { Monitor } from './monitor/monitor';
import type { AppStore } from './store/app-store';
import type { DataDirLock } from './store/data-dir-lock';
import type { RuntimeSamplesRepo } from './store/runtime-samples-repo';
import type { SettingsRepo } from './store/settings-repo';
import type { SecretStore } from './secrets/secret-store';

/**
 * What every feature of the stack shares: time, logging, the event hub, the monitor's beat and the
 * app store. Features receive it when the stack starts and add their own handlers and tick listeners.
 */
export interface StackCore {
  readonly version: string;
  readonly role: StackRole;
  readonly dataDir: string;
  readonly startedAt: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly hub: EventHub;
  readonly monitor: Monitor;
  readonly store: AppStore;
  readonly lock: DataDirLock;
  readonly settings: SettingsRepo;
  readonly runtimeSamples: RuntimeSamplesRepo;
  /** The RAG database: starts in the background; `whenReady()` for its pool, `state` for where it is. */
  readonly database: RagDatabase;
  /** Named fault proxies (Toxiproxy-style) in front of the database or a provider. */
  readonly proxies: ProxyRegistry;
  /** Numbers alert rules can watch: register a gauge or a source (see monitor/metric-registry.ts). */
  readonly metrics: MetricRegistry;
  /** Semaphores, worker pools and limiters shown on the panel: `core.concurrency.register(x)` returns the undo. */
  readonly concurrency: ConcurrencyRegistry;
  /** API keys and passwords given in the panel; values leave only through `get` (never to the renderer). */
  readonly secrets: SecretStore;
  /** The environment features read (provider keys and base URLs); process.env unless a test isolates it. */
  readonly env: NodeJS.ProcessEnv;
}

export type StackRole = 'desktop' | 'host' | 'cli' | 'test';
