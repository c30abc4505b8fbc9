import type { ChaosRun } from './contract/chaos';
import type { DoctorReport } from './contract/doctor';
import type { RunRecord } from './contract/stress';

/**
 * The words a verdict is said in, the same in the panel and the CLI (JSON keeps its own fields — `ok`,
 * `status` — as documented; `bulkhead stress --json` adds `verdict` with these words).
 */

/** A stress run: did its thresholds hold, and against the baseline did it regress. */
export type RunVerdict = 'running' | 'held' | 'failed' | 'regressed' | 'stopped' | 'aborted' | 'could not run' | 'interrupted';

export function runVerdict(record: Pick<RunRecord, 'status' | 'summary'>): RunVerdict {
  const { status, summary } = record;
  if (status === 'running') return 'running';
  if (status === 'interrupted') return 'interrupted';
  if (!summary) return status === 'stopped' || status === 'aborted' ? status : 'could not run';
  if (summary.regression?.regressed) return 'regressed';
  if (status === 'stopped') return 'stopped';
  if (status === 'aborted') return 'aborted';
  return summary.ok ? 'held' : 'failed';
}

/** A chaos scenario: did the stack recover from the fault. */
export type ChaosVerdict = 'running' | 'recovered' | 'not recovered' | 'could not run';

export function chaosVerdict(status: ChaosRun['status']): ChaosVerdict {
  if (status === 'running') return 'running';
  if (status === 'passed') return 'recovered';
  return status === 'failed' ? 'not recovered' : 'could not run';
}

/** The doctor: "connection OK", "connection OK with 2 warnings", or "failed at TCP connection (ECONNREFUSED)". */
export function doctorVerdict(report: Pick<DoctorReport, 'ok' | 'steps'>): string {
  const failed = report.steps.find((s) => s.status === 'fail');
  if (failed) return `failed at ${failed.title}${failed.code ? ` (${failed.code})` : ''}`;
  const warnings = report.steps.filter((s) => s.status === 'warn').length;
  return `connection OK${warnings > 0 ? ` with ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
}
