import type { RunRecord, RunSummary } from '../../../../shared/contract';

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
  return `${value.toFixed(value >= 100 ? 0 : 1)} ms`;
}

export function formatSeconds(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes}:${String(seconds).padStart(2, '0')}` : `${seconds} s`;
}

export function totalErrors(errors: Record<string, number>): number {
  return Object.values(errors).reduce((n, v) => n + v, 0);
}

export { verdictOf, type Tone } from '../../../../shared/run-verdict';

export function thresholdsHeld(summary: RunSummary): string {
  if (summary.thresholds.length === 0) return 'no thresholds';
  return `${summary.thresholds.filter((t) => t.ok).length} of ${summary.thresholds.length} thresholds held`;
}

export function describeRun(record: RunRecord): string {
  const when = new Date(record.createdAt).toLocaleString();
  return `${record.name} · ${record.config.mode} · ${when}`;
}
