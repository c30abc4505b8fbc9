import { useEffect, useMemo, useRef, useState } from 'react';
import type { BridgeError, RunRecord, RuntimeSample } from '../../../shared/contract';
import type { ChartMarker } from '../components/uplot-chart';
import { useBridge, useEvent } from '../hooks/bridge-context';
import { useCall } from '../hooks/use-call';
import { useRollingSeries } from '../hooks/use-rolling-series';
import { toBridgeError } from '../hooks/to-bridge-error';

/** Five minutes at 4 Hz. */
const WINDOW_POINTS = 1200;

/**
 * The Overview page's state: rolling series of the runtime samples (the stored last minutes first, then
 * live), the newest sample for the stat cards, and the stress runs whose spans the charts mark.
 */
export function useOverviewPage() {
  const bridge = useBridge();
  const delay = useRollingSeries(WINDOW_POINTS, 3);
  const memory = useRollingSeries(WINDOW_POINTS, 3);
  const cpu = useRollingSeries(WINDOW_POINTS, 2);
  const [latest, setLatest] = useState<RuntimeSample | null>(null);
  const [liveCount, setLiveCount] = useState(0);
  const [error, setError] = useState<BridgeError | null>(null);
  const [runsKey, setRunsKey] = useState(0);
  const runs = useCall('stress.runs.list', { limit: 50 }, String(runsKey));
  // A run that starts or ends changes the markers.
  useEvent('stress.finished', () => setRunsKey((n) => n + 1));

  const add = (sample: RuntimeSample): void => {
    delay.push(sample.t, [sample.eventLoopDelayMs.p50, sample.eventLoopDelayMs.p99, sample.eventLoopDelayMs.max]);
    memory.push(sample.t, [sample.heapUsedMb, sample.heapTotalMb, sample.rssMb]);
    cpu.push(sample.t, [sample.cpuPercent, sample.eventLoopUtilization * 100]);
  };

  // Live samples wait here until the stored history is in, so the series stays in time order even when
  // the history answers after the first live sample (a busy machine).
  const waitingForHistory = useRef<RuntimeSample[] | null>([]);

  useEffect(() => {
    let live = true;
    const flush = (history: readonly RuntimeSample[]): void => {
      const buffered = waitingForHistory.current ?? [];
      waitingForHistory.current = null;
      const firstLive = buffered[0]?.t ?? Number.POSITIVE_INFINITY;
      for (const sample of history) if (sample.t < firstLive) add(sample);
      for (const sample of buffered) add(sample);
      const last = buffered.at(-1) ?? history.at(-1);
      if (last) setLatest(last);
    };
    // Stored history first, so the charts are not empty after a reload.
    bridge.call('runtime.history', { limit: 300 }).then(
      (history) => live && flush(history),
      (thrown: unknown) => {
        if (!live) return;
        setError(toBridgeError(thrown));
        flush([]);
      },
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge]);

  useEvent('runtime.sample', (sample) => {
    setLiveCount((n) => n + 1);
    if (waitingForHistory.current) {
      waitingForHistory.current.push(sample);
      return;
    }
    add(sample);
    setLatest(sample);
  });
  useEvent('stress.progress', (progress) => {
    // The first progress of a run not in the list yet: fetch the list so its marker appears while it runs.
    if (runs.data && !runs.data.some((run) => run.id === progress.runId)) setRunsKey((n) => n + 1);
  });

  const markers = useMemo(() => runMarkers(runs.data ?? []), [runs.data]);
  return { delay, memory, cpu, latest, ready: liveCount >= 1, error: error ?? runs.error, markers };
}

/** Each stress run as a band on the runtime charts (epoch seconds), labelled with its profile, mode and id. */
export function runMarkers(runs: readonly RunRecord[]): ChartMarker[] {
  return runs
    .filter((run) => run.status !== 'failed')
    .map((run) => ({
      key: run.id,
      start: (run.startedAt ?? run.createdAt) / 1000,
      end: run.endedAt === null ? null : run.endedAt / 1000,
      label: `${run.name} · ${run.config.mode} · ${run.id}`,
    }));
}
