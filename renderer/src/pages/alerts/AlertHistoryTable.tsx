import type { Alert } from '../../../../shared/contract';
import { CLEARED_BY, formatDuration, formatValue, severityBadge } from './alert-format';

/** Every alert kept in the app store, newest first. */
export function AlertHistoryTable({ alerts }: { alerts: readonly Alert[] }) {
  if (alerts.length === 0) return <p className="muted">No alert has fired yet.</p>;
  return (
    <table className="data" data-testid="alerts-history">
      <thead>
        <tr>
          <th>fired</th>
          <th>rule</th>
          <th>metric</th>
          <th>severity</th>
          <th className="num">worst</th>
          <th className="num">lasted</th>
          <th>ended</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((alert) => (
          <tr key={alert.id} title={alert.message}>
            <td>{new Date(alert.firedAt).toLocaleString()}</td>
            <td>{alert.ruleName}</td>
            <td>
              <code>{alert.metric}</code>
            </td>
            <td>
              <span className={`badge ${severityBadge(alert)}`}>{alert.severity}</span>
            </td>
            <td className="num">{formatValue(alert.peak, alert.unit)}</td>
            <td className="num">{alert.clearedAt === null ? '—' : formatDuration(alert.clearedAt - alert.firedAt)}</td>
            <td>{alert.status === 'firing' ? <span className="badge badge-bad">firing</span> : CLEARED_BY[alert.clearedBy ?? 'recovered']}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
