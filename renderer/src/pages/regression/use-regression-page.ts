import { useState } from 'react';
import type { RunRecord } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';

/**
 * The Regression page's state: baselines and finished runs (reloaded when a run finishes), the chosen
 * baseline and run (from `?baseline=&run=` first), the comparison, and saving or deleting baselines.
 */
export function useRegressionPage() {
  const { query } = useHashRoute();
  const [refresh, setRefresh] = useState(0);
  const reload = (): void => setRefresh((n) => n + 1);
  const baselines = useCall('regression.baselines.list', {}, String(refresh));
  const runs = useCall('stress.runs.list', { limit: 200 }, String(refresh));
  useEvent('stress.finished', reload);

  const finished: RunRecord[] = (runs.data ?? []).filter((run) => run.status !== 'running' && run.status !== 'failed');
  const [baseline, setBaseline] = useState(query.get('baseline') ?? '');
  const [runId, setRunId] = useState(query.get('run') ?? '');
  const [minEffect, setMinEffect] = useState('5');
  const [saveRun, setSaveRun] = useState('');
  const [saveName, setSaveName] = useState('');

  const chosenBaseline = baseline || baselines.data?.[0]?.name || '';
  const chosenRun = runId || finished[0]?.id || '';
  const chosenSaveRun = saveRun || finished[0]?.id || '';

  const comparison = useAction((bridge) => bridge.call('regression.compare', { baseline: chosenBaseline, runId: chosenRun, minEffectPct: Number(minEffect) }));
  const saving = useAction((bridge) => bridge.call('regression.baselines.save', { name: saveName.trim(), runId: chosenSaveRun }), {
    onSuccess: (saved) => {
      setBaseline(saved.name);
      setSaveName('');
      reload();
    },
  });
  const deleting = useAction((bridge, name: string) => bridge.call('regression.baselines.delete', { name }), { onSuccess: reload });

  return {
    ready: baselines.data !== null && runs.data !== null,
    baselines: baselines.data ?? [],
    baselinesLoaded: baselines.data !== null,
    finished,
    chosenBaseline,
    setBaseline,
    chosenRun,
    setRunId,
    minEffect,
    setMinEffect,
    chosenSaveRun,
    setSaveRun,
    saveName,
    setSaveName,
    report: comparison.result,
    busy: comparison.pending || saving.pending || deleting.pending,
    error: comparison.error ?? saving.error ?? deleting.error ?? baselines.error ?? runs.error,
    compare: () => void comparison.run(),
    save: () => void saving.run(),
    remove: (name: string) => void deleting.run(name),
  };
}
