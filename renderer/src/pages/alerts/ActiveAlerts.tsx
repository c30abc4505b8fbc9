import type { Alert } from '../../../../shared/contract';
import { formatDuration, formatTime, formatValue, severityBadge } from './alert-format';

/** The alerts firing now, worst first, with how long each has been going. */
export function ActiveAlerts({ alerts, now }: { alerts: readonly Alert[]; now: number }) {
  if (alerts.length === 0) {
    return (
      <div className="notice notice-ok" data-testid="alerts-none">
        <strong>No alert is firing.</strong>
        <span className="muted">Rules are evaluated on every monitor tick (4 times a second).</span>
      </div>
    );
  }
  const sorted = [...alerts].sort((a, b) => (a.severity === b.severity ? b.firedAt - a.firedAt : a.severity === 'critical' ? -1 : 1));
  return (
    <ul className="alert-list" data-testid="alerts-active">
      {sorted.map((alert) => (
        <li key={alert.id} className={`alert-item alert-${alert.severity}`} data-rule={alert.ruleId}>
          <div className="alert-item-head">
            <span className={`badge ${severityBadge(alert)}`}>{alert.severity}</span>
            <strong>{alert.ruleName}</strong>
            <code className="muted">{alert.metric}</code>
            <span className="alert-since muted">
              since {formatTime(alert.firedAt)} · {formatDuration(now - alert.firedAt)}
            </span>
          </div>
          <div>{alert.message}</div>
          <div className="muted alert-values">
            now {formatValue(alert.value, alert.unit)} · worst {formatValue(alert.peak, alert.unit)} · threshold {formatValue(alert.threshold, alert.unit)}
          </div>
        </li>
      ))}
    </ul>
  );
}
