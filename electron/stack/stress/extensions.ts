import type { RunRecord, RunSample, RunSummary } from '../../../shared/contract/stress';
import type { Clock } from '../clock/clock';
import type { ReadyDatabase } from '../db/rag-database';
import type { Logger } from '../log/logger';
import type { RunningSimulator } from '../providers/simulator/simulator';

/**
 * The seams through which chaos experiments and the regression gate plug into stress runs. The stress
 * service works without them (the CLI then answers `--chaos` / `--baseline` with "not available");
 * their implementations are passed to `createStressService`.
 */

export interface ChaosScenarioInfo {
  name: string;
  description: string;
}

/** What a chaos scenario may touch while a run is prepared. */
export interface ChaosContext {
  readonly runId: string;
  readonly clock: Clock;
  readonly log: Logger;
  /** Aborted when the run ends, however it ends. */
  readonly signal: AbortSignal;
  /** The RAG database the run will use (null when the run has none). */
  readonly database: ReadyDatabase | null;
  /** The provider endpoint the run would call, before any rewrite. */
  readonly providerUrl: string | null;
  /** The in-process simulator, when the run uses it (faults can be switched on it directly). */
  readonly simulator: RunningSimulator | null;
}

/** A prepared scenario. Endpoint rewrites (e.g. through a fault proxy) are read before the workload is built. */
export interface ChaosSession {
  /** Call the provider here instead (e.g. a fault proxy in front of it). */
  readonly providerUrl?: string;
  /** Connect to the database here instead (host/port of a fault proxy in front of it). */
  readonly databaseEndpoint?: { host: string; port: number };
  /** Arrivals are about to begin: start the scenario's timeline. */
  start(): void;
  /** Undo everything (faults off, proxies closed); called once, whatever happened. */
  stop(): Promise<void>;
  /** One line for the run record, e.g. "db latency +200 ms from 10 s to 30 s". */
  describe(): string;
  /**
   * After the run (its environment closed): did the stack recover? Checked against the run's samples
   * and summary and the server's own view; `ok` false fails the run, `detail` replaces the summary's chaos line.
   */
  finish?(outcome: { summary: RunSummary | null; samples: readonly RunSample[] }): Promise<{ ok: boolean; detail: string }>;
}

export interface ChaosHook {
  scenarios(): ChaosScenarioInfo[];
  /** Throws a BulkheadError naming the known scenarios when `name` is unknown. */
  prepare(name: string, context: ChaosContext): Promise<ChaosSession>;
}

export interface RegressionVerdict {
  regressed: boolean;
  /** One or two sentences for the CLI and the panel. */
  detail: string;
}

export interface RegressionHook {
  /** Saves a finished run as the baseline called `name` (replacing an older one of that name). */
  saveBaseline(name: string, run: RunRecord, samples: readonly RunSample[]): void;
  /** Compares a finished run with the saved baseline; throws a BulkheadError when there is no such baseline. */
  compare(name: string, run: RunRecord, samples: readonly RunSample[]): RegressionVerdict;
  /**
   * Checked before a run starts, so a typo costs no run: throws a BulkheadError (BASELINE_NOT_FOUND naming
   * the saved ones, BASELINE_BAD_NAME) when `baseline` does not exist or `saveBaseline` is not a valid name.
   */
  checkBeforeRun?(names: { baseline?: string | undefined; saveBaseline?: string | undefined }): void;
}

/** Checks, before a run is created, that the provider it names has a key bound to the URL it names. */
export interface ProviderKeyCheck {
  /** Throws provider.missing_api_key or provider.key_origin_mismatch (naming the providerUrl field). */
  checkBeforeRun(provider: 'openai' | 'anthropic', providerUrl: string | undefined): Promise<void>;
}

export interface StressExtensions {
  chaos?: ChaosHook | undefined;
  regression?: RegressionHook | undefined;
  keys?: ProviderKeyCheck | undefined;
}
