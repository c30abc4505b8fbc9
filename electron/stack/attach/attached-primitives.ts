import type {
  AttachedLimiterReport,
  AttachedSemaphoreReport,
  AttachedWorkerPoolReport,
} from '../../../shared/contract/attach';
import type {
  LimiterSnapshot,
  PercentilesData,
  ProcessRef,
  SemaphoreSnapshot,
  WorkerPoolSnapshot,
} from '../../../shared/contract/concurrency';

/**
 * An attached process may report only the few numbers its language has (a Python semaphore knows its
 * permits and how many are taken, not a wait histogram). These fill in the rest so the panel's pages
 * render a reported primitive exactly like one of its own, tagged with the process it lives in.
 */

const NO_PERCENTILES: PercentilesData = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };

export function semaphoreFromReport(report: AttachedSemaphoreReport, process: ProcessRef): SemaphoreSnapshot {
  const inUse = report.inUse;
  return {
    available: Math.max(0, report.permits - inUse),
    waiting: 0,
    waitingWeight: 0,
    maxWaitingSeen: report.waiting ?? 0,
    maxWaiting: null,
    acquired: 0,
    acquiredPerSec: 0,
    timeouts: 0,
    aborts: 0,
    rejected: 0,
    waitMs: NO_PERCENTILES,
    holdMs: NO_PERCENTILES,
    longHoldThresholdMs: 0,
    longHolders: [],
    longHolderCount: 0,
    ...report,
    process,
  };
}

export function workerPoolFromReport(report: AttachedWorkerPoolReport, process: ProcessRef): WorkerPoolSnapshot {
  return {
    live: report.size,
    queued: 0,
    maxQueue: 0,
    maxQueuedSeen: 0,
    completed: 0,
    completedPerSec: 0,
    failed: 0,
    aborted: 0,
    timeouts: 0,
    rejected: 0,
    crashed: 0,
    waitMs: NO_PERCENTILES,
    runMs: NO_PERCENTILES,
    longRunning: [],
    ...report,
    process,
  };
}

export function limiterFromReport(report: AttachedLimiterReport, process: ProcessRef): LimiterSnapshot {
  return {
    buckets: [],
    admitted: 0,
    admittedPerSec: 0,
    rejected: 0,
    queued: 0,
    maxQueuedSeen: 0,
    waited: 0,
    waitMs: NO_PERCENTILES,
    http429: 0,
    http529: 0,
    retries: 0,
    nextResetAt: null,
    pausedUntil: null,
    pauseReason: null,
    pauses: 0,
    rampFactor: null,
    lastError: null,
    ...report,
    process,
  };
}
