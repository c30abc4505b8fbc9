import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/contract';
import { FakeBridge, withBridge } from '../../testing/fake-bridge';
import { AlertsPage } from './AlertsPage';

const alert = (id: number, status: Alert['status']): Alert => ({
  id,
  ruleId: `rule-${id}`,
  ruleName: `Rule ${id}`,
  metric: 'pool.waiting',
  severity: 'warning',
  status,
  firedAt: id * 1000,
  clearedAt: status === 'cleared' ? id * 1000 + 500 : null,
  message: `rule ${id}`,
  value: 1,
  peak: 2,
  threshold: 1,
  unit: 'count',
  clearedBy: status === 'cleared' ? 'recovered' : null,
});

describe('AlertsPage', () => {
  it('clears the cleared alerts from the history and shows what is left', async () => {
    let stored = [alert(2, 'firing'), alert(1, 'cleared')];
    const bridge = new FakeBridge()
      .on('alerts.active', () => stored.filter((a) => a.status === 'firing'))
      .on('alerts.history', () => stored)
      .on('alerts.rules.get', () => ({ rules: [], defaults: [] }))
      .on('alerts.metrics', () => [])
      .on('alerts.history.clear', () => {
        const before = stored.length;
        stored = stored.filter((a) => a.status === 'firing');
        return { deleted: before - stored.length };
      });
    render(<AlertsPage />, { wrapper: withBridge(bridge) });
    const historyRows = () => screen.getByTestId('alerts-history').querySelectorAll('tbody tr').length;
    await waitFor(() => expect(historyRows()).toBe(2));

    fireEvent.click(screen.getByTestId('alerts-history-clear'));
    await waitFor(() => expect(historyRows()).toBe(1));
    expect(bridge.calls.filter((c) => c.method === 'alerts.history.clear')).toHaveLength(1);
  });
});
