import { useEffect, useState } from 'react';
import type { BridgeError, RunProgress, RunRecord, StartRunParams } from '../../../../shared/contract';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import { toBridgeError } from '../../hooks/to-bridge-error';
import { initialSetup, serverErrorsByField, type RunSetup } from './run-setup';
import { useRunSeries } from './run-series';

/**
 * The Stress page's state: the profiles and the form (starting from the last run's profile), the run going
 * now (picked up if it was already running when the page opened) with its live series, the finished run's
 * record, and Start/Stop.
 */
export function useStressPage() {
  const bridge = useBridge();
  const profiles = useCall('stress.profiles', {});
  const lastRun = useCall('stress.runs.list', { limit: 1 });
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [finished, setFinished] = useState<RunRecord | null>(null);
  const [statusKnown, setStatusKnown] = useState(false);
  const [statusError, setStatusError] = useState<BridgeError | null>(null);
  const [edited, setEdited] = useState<RunSetup | null>(null);
  const series = useRunSeries();
  const runId = progress?.runId ?? null;

  // A run already going when the page opens: show its stored seconds, then follow it live.
  const { push } = series;
  useEffect(() => {
    let live = true;
    const pickUp = async (): Promise<void> => {
      const status = await bridge.call('stress.status', {});
      if (!live) return;
      setStatusKnown(true);
      if (!status) return;
      setProgress(status);
      const stored = await bridge.call('stress.runs.get', { runId: status.runId, maxSamples: 3_600 });
      if (live) push(stored.samples);
    };
    pickUp().catch((thrown: unknown) => {
      if (!live) return;
      setStatusKnown(true);
      setStatusError(toBridgeError(thrown));
    });
    return () => {
      live = false;
    };
  }, [bridge, push]);

  useEvent('stress.progress', (next) => {
    if (next.runId !== runId) {
      series.reset();
      setFinished(null);
    }
    setProgress(next);
  });
  useEvent('stress.sample', ({ runId: id, sample }) => {
    if (id === runId) series.push([sample]);
  });
  useEvent('stress.finished', (record) => {
    if (record.id !== runId) return;
    setFinished(record);
    setProgress(null);
  });

  const start = useAction((b, params: StartRunParams) => b.call('stress.start', params), {
    onSuccess: ({ runId: id }, [params]) => setProgress((p) => p ?? placeholderProgress(id, params)),
  });
  const stop = useAction((b) => b.call('stress.stop', {}));

  const loaded = profiles.data !== null && (lastRun.data !== null || lastRun.error !== null);
  const setup = edited ?? (loaded ? initialSetup(profiles.data ?? [], lastRun.data?.[0] ?? null) : null);
  const serverErrors = start.error ? serverErrorsByField(start.error.code, start.error.message, start.error.issues) : null;
  const running = progress !== null && progress.phase !== 'done';

  return {
    profiles: profiles.data,
    setup,
    setSetup: (next: RunSetup) => {
      setEdited(next);
      if (start.error) start.reset();
    },
    serverErrors,
    // An error that belongs to no field is shown above the form.
    error: (serverErrors ? null : start.error) ?? stop.error ?? statusError ?? profiles.error,
    progress,
    finished,
    series,
    running,
    starting: start.pending,
    ready: loaded && statusKnown,
    start: (params: StartRunParams) => {
      setFinished(null);
      series.reset();
      void start.run(params);
    },
    stop: () => void stop.run(),
  };
}

function placeholderProgress(runId: string, params: StartRunParams): RunProgress {
  return {
    runId,
    profile: typeof params.profile === 'string' ? params.profile : params.profile.name,
    mode: params.mode ?? 'governed',
    status: 'running',
    phase: 'preparing',
    elapsedMs: 0,
    plannedMs: 0,
    targetRate: 0,
    achievedRate: 0,
    requests: { planned: 0, started: 0, completed: 0, failed: 0, dropped: 0, late: 0, inFlight: 0 },
    latencyMs: { p50: 0, p95: 0, p99: 0 },
    errors: {},
    http429: 0,
    dbConnections: null,
    thresholds: [],
  };
}
