import type { RunRecord } from './contract/stress';
import { runVerdict, type RunVerdict } from './verdicts';

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

const TONE: Record<RunVerdict, Tone> = {
  running: 'warn',
  held: 'ok',
  failed: 'bad',
  regressed: 'bad',
  stopped: 'muted',
  aborted: 'bad',
  'could not run': 'bad',
  interrupted: 'muted',
};

/**
 * A run's verdict in one word and a tone: the History table, the result card and the exported report
 * say the same — and the CLI, whose words come from the same place (shared/verdicts.ts).
 */
export function verdictOf(record: Pick<RunRecord, 'status' | 'summary'>): { label: RunVerdict; tone: Tone } {
  const label = runVerdict(record);
  return { label, tone: TONE[label] };
}
