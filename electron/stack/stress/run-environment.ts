import type { ProviderChoice, StackMode } from '../../../shared/contract/stress';
import type { StressProfile } from '../../../shared/contract/stress-profile';
import type { Clock } from '../clock/clock';
import type { ReadyDatabase } from '../db/rag-database';
import type { Logger } from '../log/logger';
import type { RunningSimulator } from '../providers/simulator/simulator';
import type { ConnectionProbe } from './stress-runner';
import type { StressWorkload } from './workload';

/** What a run asks for: the stack pieces its workload needs, in the given mode. */
export interface RunEnvironmentRequest {
  readonly runId: string;
  readonly profile: StressProfile;
  readonly mode: StackMode;
  readonly provider: ProviderChoice;
  readonly providerUrl: string | null;
  readonly clock: Clock;
  readonly log: Logger;
  /** Aborted when the run is stopped while the environment is still being prepared. */
  readonly signal: AbortSignal;
}

/** Endpoint rewrites a chaos scenario asks for (fault proxies in front of the provider or the database). */
export interface EndpointRewrites {
  providerUrl?: string | undefined;
  databaseEndpoint?: { host: string; port: number } | undefined;
  /** Connect to an HTTP target here instead (scheme://host:port of a fault proxy in front of it). */
  targetOrigin?: string | undefined;
}

/**
 * The stack pieces of one run, prepared in two steps so a chaos scenario can sit in between: first the
 * database is ready and the simulator listens; then the workload is built (maybe through fault proxies).
 */
export interface RunEnvironment {
  readonly database: ReadyDatabase | null;
  readonly simulator: RunningSimulator | null;
  /** Where provider calls go, before any rewrite; null when the mix calls no provider. */
  readonly providerUrl: string | null;
  /** For the run record: provider and endpoint, key masked. */
  readonly providerDescription: string | null;
  /** The HTTP target this run loads, when it is a target run (never stored: it may carry secrets). */
  readonly targetUrl?: string | undefined;
  /** Counts the database server's connections; null without a database. */
  readonly connections: ConnectionProbe | null;
  buildWorkload(rewrites: EndpointRewrites): Promise<StressWorkload>;
  /** Closes the workload, probes, provider client and simulator; safe to call twice. */
  close(): Promise<void>;
}

export type RunEnvironmentFactory = (request: RunEnvironmentRequest) => Promise<RunEnvironment>;
