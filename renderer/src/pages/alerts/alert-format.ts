import type { Alert, AlertRule } from '../../../../shared/contract';

export function formatValue(value: number, unit: string): string {
  const abs = Math.abs(value);
  const text = Number.isInteger(value) ? String(value) : abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

export function severityBadge(alert: Pick<Alert, 'severity'>): string {
  return alert.severity === 'critical' ? 'badge-bad' : 'badge-warn';
}

/** One line describing when a rule fires, for the rule list and tooltips. */
export function describeRule(rule: AlertRule): string {
  if (rule.kind === 'trend') {
    return `${rule.metric} ${rule.minSlopePerMin >= 0 ? 'rises' : 'falls'} ≥ ${Math.abs(rule.minSlopePerMin)}/min over ${rule.windowSec} s (R² ≥ ${rule.minR2})`;
  }
  const hold = rule.forSec > 0 ? ` for ${rule.forSec} s` : '';
  const clear = rule.clearThreshold !== undefined ? `; clears past ${rule.clearThreshold}` : '';
  return `${rule.metric} ${rule.op} ${rule.threshold}${hold}${clear}`;
}

export const CLEARED_BY: Record<NonNullable<Alert['clearedBy']>, string> = {
  recovered: 'recovered',
  restart: 'Bulkhead restarted',
  'rule-changed': 'rule changed',
};
