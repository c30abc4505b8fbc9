import type { DatabaseState, DoctorStepStatus } from '../../../../shared/contract';

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(0)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`;
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const STATE_BADGE: Record<DatabaseState, string> = {
  ready: 'badge-ok',
  starting: 'badge-warn',
  unavailable: 'badge-bad',
  disabled: 'badge-muted',
  stopped: 'badge-muted',
};

export const STATUS_BADGE: Record<DoctorStepStatus, string> = {
  pass: 'badge-ok',
  warn: 'badge-warn',
  fail: 'badge-bad',
  skip: 'badge-muted',
};
