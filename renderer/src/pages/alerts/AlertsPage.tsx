import { useEffect, useState } from 'react';
import type { Alert, AlertRule } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import { ActiveAlerts } from './ActiveAlerts';
import { AlertHistoryTable } from './AlertHistoryTable';
import { RuleEditor } from './RuleEditor';
import './alerts.css';

/** Alerts firing now, the ones that fired before, and the rules that decide — editable. */
export function AlertsPage() {
  const [historyKey, setHistoryKey] = useState(0);
  const [rulesKey, setRulesKey] = useState(0);
  const active = useCall('alerts.active', {});
  const history = useCall('alerts.history', { limit: 200 }, String(historyKey));
  const rules = useCall('alerts.rules.get', {}, String(rulesKey));
  const metrics = useCall('alerts.metrics', {}, String(rulesKey));
  const clearHistory = useAction((bridge) => bridge.call('alerts.history.clear', {}), { onSuccess: () => setHistoryKey((n) => n + 1) });
  const [live, setLive] = useState<Alert[] | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEvent('alerts.changed', (payload) => {
    setLive(payload.active);
    setHistoryKey((n) => n + 1);
  });
  // "firing for 42 s" keeps counting between events.
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const current = live ?? active.data;
  const ready = current !== null && rules.data !== null;
  const firing = current?.length ?? 0;
  const onSaved = (_saved: AlertRule[]): void => {
    setRulesKey((n) => n + 1);
    setHistoryKey((n) => n + 1);
  };

  return (
    <section className="page" data-page="alerts" data-ready={ready ? 'true' : undefined}>
      <PageHeader
        title="Alerts"
        subtitle="Rules over the monitored metrics — event loop, pool, provider 429s, heap, semaphores — evaluated four times a second. An alert fires when its condition has held for the rule's duration and clears only once the value is back past the clear threshold for a while, so a value hovering at the line does not flap."
        actions={<span className={`badge ${firing > 0 ? 'badge-bad' : 'badge-ok'}`} data-testid="alerts-firing-count">{firing} firing</span>}
      />
      {active.error ? <ErrorNotice error={active.error} /> : null}
      <div className="card">
        <h2>Firing now</h2>
        {current ? <ActiveAlerts alerts={current} now={now} /> : <p className="muted">Loading…</p>}
      </div>
      {rules.error ? <ErrorNotice error={rules.error} /> : null}
      {rules.data ? <RuleEditor key={`${rulesKey}-${JSON.stringify(rules.data.rules).length}`} initial={rules.data.rules} metrics={metrics.data ?? []} onSaved={onSaved} /> : null}
      <details className="card metric-catalogue">
        <summary>
          Metrics the rules can use{' '}
          <span className="muted">
            ({metrics.data?.length ?? 0} now; <code>*</code> in a rule matches one segment, e.g. <code>semaphore.*.stalled</code>)
          </span>
        </summary>
        <table className="data compact-rows">
          <tbody>
            {(metrics.data ?? []).map((m) => (
              <tr key={m.name}>
                <td>
                  <code>{m.name}</code>
                </td>
                <td className="num">
                  {Number.isInteger(m.value) ? m.value : m.value.toFixed(2)} {m.unit}
                </td>
                <td className="muted">{m.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <div className="card">
        <div className="history-head">
          <h2>History</h2>
          <div className="page-actions">
            <button type="button" onClick={() => void clearHistory.run()} disabled={clearHistory.pending} data-testid="alerts-history-clear">
              Clear cleared alerts
            </button>
          </div>
        </div>
        {history.error ? <ErrorNotice error={history.error} /> : null}
        {clearHistory.error ? <ErrorNotice error={clearHistory.error} /> : null}
        <AlertHistoryTable alerts={history.data ?? []} />
      </div>
    </section>
  );
}
