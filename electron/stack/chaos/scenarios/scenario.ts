import type { ChaosScenarioInfo } from '../../../../shared/contract/chaos';
import type { Clock } from '../../clock/clock';
import type { RagDatabase, ReadyDatabase } from '../../db/rag-database';
import type { Logger } from '../../log/logger';
import type { RunningSimulator } from '../../providers/simulator/simulator';
import type { ProxyRegistry } from '../proxy/proxy-registry';

/** When the fault happens, relative to the scenario's start, and how long recovery may take. */
export interface ScenarioTiming {
  readonly startAfterMs: number;
  readonly faultMs: number;
  readonly recoveryBoundMs: number;
}

/** What a scenario may touch. */
export interface ScenarioContext {
  readonly id: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Aborted when the scenario (or the run it is in) ends. */
  readonly signal: AbortSignal;
  readonly database: ReadyDatabase | null;
  /** The stack's database lifecycle, for stopping and starting the embedded server (db-restart). */
  readonly lifecycle: RagDatabase | null;
  /** Where provider calls go before any rewrite, and the in-process simulator when there is one. */
  readonly providerUrl: string | null;
  readonly simulator: RunningSimulator | null;
  readonly proxies: ProxyRegistry;
}

/**
 * A prepared fault. The workload connects through the rewrites (fault proxies); `inject` starts the
 * fault and `heal` ends it; `probe` answers whether the dependency works again from where the stack
 * stands (it throws while it does not). `dispose` removes whatever the scenario set up.
 */
export interface PreparedFault {
  readonly databaseEndpoint?: { host: string; port: number };
  readonly providerUrl?: string;
  /** One line for the timeline, e.g. "proxy db-chaos down: new connections refused, 7 open ones cut". */
  inject(): Promise<string>;
  heal(): Promise<string>;
  probe(signal: AbortSignal): Promise<void>;
  dispose(): Promise<void>;
}

export interface ScenarioDefinition extends ChaosScenarioInfo {
  prepare(context: ScenarioContext): Promise<PreparedFault>;
}
