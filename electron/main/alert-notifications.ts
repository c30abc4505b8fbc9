import { Notification } from 'electron';
import type { Stack } from '../stack/stack';

/**
 * A desktop notification for every alert that fires (not for clears: the panel shows those). Clicking
 * one brings the window forward on the Alerts page. Returns the unsubscribe function.
 */
export function notifyFiredAlerts(stack: Stack, focusAlertsPage: () => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  return stack.hub.subscribe('alerts.changed', ({ transitions }) => {
    for (const transition of transitions) {
      if (transition.kind !== 'fired') continue;
      const { alert } = transition;
      const notification = new Notification({
        title: `Bulkhead: ${alert.ruleName}`,
        body: alert.message,
        urgency: alert.severity === 'critical' ? 'critical' : 'normal',
      });
      notification.on('click', focusAlertsPage);
      notification.show();
    }
  });
}
