import type { RunRecord, RunStatus } from './contract/stress';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** A run's verdict in one word and a tone: the History table, the result card and the exported report say the same. */
export function verdictOf(record: Pick<RunRecord, 'status' | 'summary'>): { label: string; tone: Tone } {
  const status: RunStatus = record.status;
  if (status === 'running') return { label: 'running', tone: 'warn' };
  if (status === 'interrupted') return { label: 'interrupted', tone: 'muted' };
  if (status === 'failed') return { label: 'could not run', tone: 'bad' };
  const summary = record.summary;
  if (!summary) return { label: status, tone: 'muted' };
  if (summary.regression?.regressed) return { label: 'regressed', tone: 'bad' };
  if (status === 'stopped') return { label: 'stopped', tone: 'muted' };
  if (status === 'aborted') return { label: 'aborted', tone: 'bad' };
  return summary.ok ? { label: 'held', tone: 'ok' } : { label: 'failed', tone: 'bad' };
}

