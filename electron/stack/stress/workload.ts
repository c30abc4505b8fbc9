import type { RunSample, TargetSummary } from '../../../shared/contract/stress';
import type { WorkflowName } from '../../../shared/contract/stress-profile';
import type { Arrival } from './open-model-scheduler';

/** The stage timings a workload keeps, each a run-long HDR histogram (ms). */
export type StageName = 'semaphore_wait' | 'limiter_wait' | 'pool_acquire' | 'query' | 'provider' | 'total' | 'ttfb';

/** A run-long latency histogram of one stage (HdrLatency or the shared LatencyHistogram). */
export interface StageHistogram {
  readonly count: number;
  summary(): { avg: number; min: number; max: number };
  percentileMs(percent: number): number;
}

/** What a workload saw in the last second (the runner asks once per sample). */
export interface WorkloadInterval {
  http429: number;
  retries: number;
  semaphoreWaitP99Ms: number | null;
  limiterWaitP99Ms: number | null;
  poolAcquireP99Ms: number | null;
  providerP95Ms: number | null;
  poolWaiting: number | null;
  /** Adaptive mode only: the permits of each adaptive limit now (provider, retrieval). */
  adaptiveLimits?: Record<string, number>;
  /** HTTP target runs only: the second's TTFB, bytes, statuses and connections. */
  http?: NonNullable<RunSample['http']>;
}

export interface WorkloadTotals {
  http429: number;
  retries: number;
  providerCalls: number;
  providerName: string;
  poolMax: number | null;
}

/**
 * What the stress runner drives: one call per arrival, plus the counters only the workload knows
 * (provider answers, stage timings). Implemented by the agent stack in governed and unbounded mode,
 * and by a no-op workload for measuring the scheduler itself.
 */
export interface StressWorkload {
  readonly description: string;
  /** Runs one request of `workflow`; rejects with the failure. Must honour `arrival.signal`. */
  execute(workflow: WorkflowName, arrival: Arrival): Promise<void>;
  takeInterval(): WorkloadInterval;
  totals(): WorkloadTotals;
  /** A stage's run-long histogram, or null when this workload has no such stage. */
  stage(name: StageName): StageHistogram | null;
  /** HTTP target runs only: what the summary adds about the target. */
  targetSummary?(): Omit<TargetSummary, 'ttlb_ms'>;
  /** Releases what the workload holds (clients, pools, registrations). */
  close(): Promise<void>;
}

export const EMPTY_INTERVAL: WorkloadInterval = Object.freeze({
  http429: 0,
  retries: 0,
  semaphoreWaitP99Ms: null,
  limiterWaitP99Ms: null,
  poolAcquireP99Ms: null,
  providerP95Ms: null,
  poolWaiting: null,
});

/** The workload behind the scheduler benchmark: every request succeeds on the next microtask. */
export function noopWorkload(): StressWorkload {
  return {
    description: 'no-op (each request resolves at once)',
    execute: async () => undefined,
    takeInterval: () => EMPTY_INTERVAL,
    totals: () => ({ http429: 0, retries: 0, providerCalls: 0, providerName: 'none', poolMax: null }),
    stage: () => null,
    close: async () => undefined,
  };
}

/**
 * Which workflow arrival `index` runs, for a weighted mix: a low-discrepancy sequence (golden ratio)
 * against the cumulative weights, so any window of arrivals has close to the mix's proportions and the
 * choice is deterministic without keeping state per arrival.
 */
export function workflowPicker(mix: Partial<Record<WorkflowName, number>>): (index: number) => WorkflowName {
  const entries = Object.entries(mix).filter((entry): entry is [WorkflowName, number] => (entry[1] ?? 0) > 0);
  if (entries.length === 0) throw new RangeError('the workflow mix has no positive weight');
  if (entries.length === 1) {
    const only = entries[0]![0];
    return () => only;
  }
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const names = entries.map(([name]) => name);
  const bounds: number[] = [];
  let acc = 0;
  for (const [, weight] of entries) bounds.push((acc += weight / total));
  const golden = 0.6180339887498949;
  return (index) => {
    const u = (index * golden) % 1;
    for (let i = 0; i < bounds.length; i++) if (u < bounds[i]!) return names[i]!;
    return names[names.length - 1]!;
  };
}
