import { useState } from 'react';
import type { RunExportFormat, RunRecord, RunsFilter } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import { saveFile } from './save-file';

/** The filter as the selects hold it: empty = any. */
export interface HistoryFilter {
  profile: string;
  mode: string;
  status: string;
}
export const NO_FILTER: HistoryFilter = { profile: '', mode: '', status: '' };

/**
 * The History page's state: stored runs (filtered by the stack, reloaded when a run finishes), the pick of
 * two for a comparison, the run open in `?run=`, deleting (after a confirmation) and exporting a run.
 */
export function useHistoryPage() {
  const { query } = useHashRoute();
  const [refresh, setRefresh] = useState(0);
  const [filter, setFilter] = useState<HistoryFilter>(NO_FILTER);
  const reload = (): void => setRefresh((n) => n + 1);
  const params = {
    limit: 200,
    ...(filter.profile ? { profile: filter.profile } : {}),
    ...(filter.mode ? { mode: filter.mode as RunsFilter['mode'] } : {}),
    ...(filter.status ? { status: filter.status as RunsFilter['status'] } : {}),
  };
  const runs = useCall('stress.runs.list', params, String(refresh));
  const profiles = useCall('stress.profiles', {});
  const [picked, setPicked] = useState<string[]>([]);
  const [confirming, setConfirming] = useState<string | null>(null);
  useEvent('stress.finished', reload);

  const remove = useAction((bridge, runId: string) => bridge.call('stress.runs.delete', { runId }), {
    onSuccess: (_result, [runId]) => {
      setConfirming(null);
      setPicked((current) => current.filter((id) => id !== runId));
      if (query.get('run') === runId) window.location.hash = '#/history';
      reload();
    },
  });
  const exporting = useAction(
    async (bridge, runId: string, format: RunExportFormat) => {
      const file = await bridge.call('stress.runs.export', { runId, format });
      saveFile(file.filename, file.mimeType, file.content);
      return file.filename;
    },
  );

  const list = runs.data ?? [];
  const toggle = (id: string): void => setPicked((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current.slice(-1), id]));
  const comparePicked = (): void => {
    const [a, b] = orderForCompare(list, picked);
    window.location.hash = `#/history?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
  };

  return {
    runs: list,
    loaded: runs.data !== null,
    filter,
    setFilter,
    filtered: filter.profile !== '' || filter.mode !== '' || filter.status !== '',
    profileNames: [...new Set([...(profiles.data ?? []).map((p) => p.profile.name), ...list.map((run) => run.name)])].sort(),
    open: query.get('run'),
    compareA: query.get('a'),
    compareB: query.get('b'),
    picked,
    toggle,
    comparePicked,
    confirming,
    askDelete: (runId: string | null) => {
      remove.reset();
      setConfirming(runId);
    },
    confirmDelete: (runId: string) => void remove.run(runId),
    deleting: remove.pending,
    exportRun: (runId: string, format: RunExportFormat) => void exporting.run(runId, format),
    exported: exporting.result,
    exportBusy: exporting.pending,
    error: runs.error ?? remove.error ?? exporting.error,
  };
}

/** Governed on the left when the pair is a governed/unbounded A/B; otherwise older first. */
function orderForCompare(list: readonly RunRecord[], picked: readonly string[]): [string, string] {
  const [x, y] = picked.map((id) => list.find((r) => r.id === id)!);
  if (x!.config.mode !== y!.config.mode) return x!.config.mode === 'governed' ? [x!.id, y!.id] : [y!.id, x!.id];
  return x!.createdAt <= y!.createdAt ? [x!.id, y!.id] : [y!.id, x!.id];
}
