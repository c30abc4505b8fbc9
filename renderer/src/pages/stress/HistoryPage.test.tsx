import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunRecord, RunsFilter } from '../../../../shared/contract';
import { FakeBridge, withBridge } from '../../testing/fake-bridge';
import { HistoryPage } from './HistoryPage';
import { TEST_PROFILES, testRun } from './testing-profiles';

afterEach(() => vi.restoreAllMocks());

function runs(): RunRecord[] {
  return [
    { ...testRun('heavy', 'unbounded'), id: 'r3', status: 'running', createdAt: 3 },
    { ...testRun('heavy', 'governed'), id: 'r2', createdAt: 2 },
    { ...testRun('light', 'governed'), id: 'r1', createdAt: 1 },
  ];
}

function historyBridge() {
  let stored = runs();
  const bridge = new FakeBridge()
    .on('stress.profiles', () => TEST_PROFILES)
    .on('stress.runs.list', (params) => {
      const filter = params as RunsFilter;
      return stored.filter((run) => (!filter.profile || run.name === filter.profile) && (!filter.mode || run.config.mode === filter.mode) && (!filter.status || run.status === filter.status));
    })
    .on('stress.runs.delete', ({ runId }) => {
      stored = stored.filter((run) => run.id !== runId);
      return { deleted: true };
    })
    .on('stress.runs.export', ({ runId, format }) => ({ filename: `bulkhead-${runId}.${format}`, mimeType: format === 'html' ? 'text/html' : 'application/json', content: '<!doctype html>' }));
  return bridge;
}

const rowIds = (): string[] => screen.getAllByRole('row').flatMap((row) => row.getAttribute('data-run-id') ?? []);

describe('HistoryPage', () => {
  it('filters by profile, mode and status through the stack', async () => {
    const bridge = historyBridge();
    render(<HistoryPage />, { wrapper: withBridge(bridge) });
    await waitFor(() => expect(rowIds()).toEqual(['r3', 'r2', 'r1']));

    fireEvent.change(screen.getByTestId('filter-profile'), { target: { value: 'heavy' } });
    await waitFor(() => expect(rowIds()).toEqual(['r3', 'r2']));
    fireEvent.change(screen.getByTestId('filter-mode'), { target: { value: 'governed' } });
    await waitFor(() => expect(rowIds()).toEqual(['r2']));
    expect(bridge.calls.at(-1)).toEqual({ method: 'stress.runs.list', params: { limit: 200, profile: 'heavy', mode: 'governed' } });

    fireEvent.change(screen.getByTestId('filter-status'), { target: { value: 'interrupted' } });
    await waitFor(() => expect(screen.getByTestId('runs-empty').textContent).toBe('No run matches this filter.'));
    fireEvent.click(screen.getByText('Show all'));
    await waitFor(() => expect(rowIds()).toEqual(['r3', 'r2', 'r1']));
  });

  it('deletes a run only after a confirmation, and never the running one', async () => {
    const bridge = historyBridge();
    render(<HistoryPage />, { wrapper: withBridge(bridge) });
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    const row = (id: string): HTMLElement => document.querySelector(`[data-run-id="${id}"]`)!;

    expect((within(row('r3')).getByTestId('delete-run') as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(row('r2')).getByTestId('delete-run'));
    expect(bridge.calls.some((c) => c.method === 'stress.runs.delete')).toBe(false);
    fireEvent.click(within(row('r2')).getByText('Keep'));
    expect(within(row('r2')).queryByTestId('confirm-delete')).toBeNull();

    fireEvent.click(within(row('r2')).getByTestId('delete-run'));
    fireEvent.click(within(row('r2')).getByTestId('confirm-delete'));
    await waitFor(() => expect(rowIds()).toEqual(['r3', 'r1']));
    expect(bridge.calls.filter((c) => c.method === 'stress.runs.delete')).toEqual([{ method: 'stress.runs.delete', params: { runId: 'r2' } }]);
  });

  it('exports a run as an HTML file through a download', async () => {
    const bridge = historyBridge();
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:test';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    render(<HistoryPage />, { wrapper: withBridge(bridge) });
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    fireEvent.click(within(document.querySelector('[data-run-id="r1"]')!).getByTestId('export-html'));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Saved bulkhead-r1.html'));
    expect(clicked).toEqual(['bulkhead-r1.html']);
    expect(blobs[0]?.type).toBe('text/html');
    expect(bridge.calls.at(-1)).toEqual({ method: 'stress.runs.export', params: { runId: 'r1', format: 'html' } });
  });
});
