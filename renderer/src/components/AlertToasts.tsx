import './alert-toasts.css';
import { useEffect, useState } from 'react';
import type { AlertTransition } from '../../../shared/contract';
import { useEvent } from '../hooks/bridge-context';

interface Toast {
  readonly key: string;
  readonly transition: AlertTransition;
}

/** How long a toast stays; a firing critical one stays until dismissed. */
const TOAST_MS = 8000;
const MAX_TOASTS = 4;

/**
 * Alert toasts for the whole panel: each alert that fires (or clears) shows for a few seconds in the
 * corner, whatever page is open, with a link to the Alerts page. Critical ones stay until closed.
 */
export function AlertToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);

  useEvent('alerts.changed', (payload) => {
    const fresh = payload.transitions.map((transition) => ({ key: `${transition.kind}-${transition.alert.id}-${payload.t}`, transition }));
    setToasts((current) => [...current, ...fresh].slice(-MAX_TOASTS));
  });

  const dismiss = (key: string): void => setToasts((current) => current.filter((toast) => toast.key !== key));

  // One timer for the oldest expiring toast at a time: nothing left running when the list is empty.
  const expiring = toasts.find((t) => !(t.transition.kind === 'fired' && t.transition.alert.severity === 'critical'));
  useEffect(() => {
    if (!expiring) return;
    const timer = setTimeout(() => dismiss(expiring.key), TOAST_MS);
    return () => clearTimeout(timer);
  }, [expiring]);

  if (toasts.length === 0) return null;
  return (
    <div className="toast-host" role="status" aria-live="polite" data-testid="alert-toasts">
      {toasts.map(({ key, transition }) => {
        const { alert } = transition;
        const tone = transition.kind === 'cleared' ? 'ok' : alert.severity === 'critical' ? 'bad' : 'warn';
        return (
          <div key={key} className={`toast toast-${tone}`} data-testid="alert-toast" data-rule={alert.ruleId} data-kind={transition.kind}>
            <div className="toast-head">
              <strong>{transition.kind === 'fired' ? alert.ruleName : `Cleared: ${alert.ruleName}`}</strong>
              <button type="button" className="toast-close" aria-label="dismiss" onClick={() => dismiss(key)}>
                ×
              </button>
            </div>
            <div className="toast-body">{alert.message}</div>
            <a href="#/alerts" className="toast-link">
              Alerts →
            </a>
          </div>
        );
      })}
    </div>
  );
}
