import type { ReactNode } from 'react';

interface Props {
  label: string;
  value: string;
  hint?: ReactNode;
  tone?: 'ok' | 'warn' | 'bad' | 'neutral';
  testId?: string;
}

/** One current value, large, with a quiet label and an optional hint. */
export function StatCard({ label, value, hint, tone = 'neutral', testId }: Props) {
  return (
    <div className={`stat stat-${tone}`} data-testid={testId}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint ? <div className="stat-hint">{hint}</div> : null}
    </div>
  );
}
