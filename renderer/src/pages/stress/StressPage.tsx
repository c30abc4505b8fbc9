import { useEffect, useState } from 'react';
import { BridgeError, type RunProgress, type RunRecord, type StartRunParams } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { StatCard } from '../../components/StatCard';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { RunCharts } from './RunCharts';
import { RunResultCard } from './RunResultCard';
import { RunSetupForm, type RunSetup } from './RunSetupForm';
import { formatMs, formatSeconds, totalErrors } from './run-format';
import { useRunSeries } from './run-series';

/** Start a stress run, watch it live (progress, rate, latency, errors, connections, waits), read the verdict. */
export function StressPage() {
  const bridge = useBridge();
  const profiles = useCall('stress.profiles', {});
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [finished, setFinished] = useState<RunRecord | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [statusKnown, setStatusKnown] = useState(false);
  const [setup, setSetup] = useState<RunSetup | null>(null);
  const series = useRunSeries();
  const runId = progress?.runId ?? null;

  // A run already going when the page opens: show its stored seconds, then follow it live.
  useEffect(() => {
    let live = true;
    void bridge.call('stress.status', {}).then(async (status) => {
      if (!live) return;
      setStatusKnown(true);
      if (!status) return;
      setProgress(status);
      const stored = await bridge.call('stress.runs.get', { runId: status.runId, maxSamples: 3_600 });
      if (live) series.push(stored.samples);
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge]);

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

  const start = (params: StartRunParams): void => {
    setError(null);
    setFinished(null);
    series.reset();
    bridge.call('stress.start', params).then(
      ({ runId: id }) => setProgress((p) => p ?? placeholderProgress(id, params)),
      (e: unknown) => setError(e instanceof BridgeError ? e : new BridgeError({ code: 'INTERNAL', message: String(e) })),
    );
  };
  const stop = (): void => {
    void bridge.call('stress.stop', {});
  };

  const running = progress !== null && progress.phase !== 'done';
  const ready = profiles.data !== null && statusKnown;
  const errors = progress ? totalErrors(progress.errors) : 0;
  const fraction = progress && progress.plannedMs > 0 ? Math.min(1, progress.elapsedMs / progress.plannedMs) : 0;

  return (
    <section className="page" data-page="stress" data-ready={ready ? 'true' : undefined} data-running={running ? 'true' : undefined}>
      <PageHeader
        title="Stress"
        subtitle="Open-model load on the agent stack: requests arrive on the profile's schedule whether or not earlier ones answered, and latency counts from when each should have started. Run the same profile governed and unbounded to see what the bounds buy."
        actions={running ? <button type="button" className="danger" onClick={stop} data-testid="stop-run">Stop run</button> : null}
      />
      {error ? <ErrorNotice error={error} /> : null}
      {profiles.error ? <ErrorNotice error={profiles.error} /> : null}
      {profiles.data && !running ? (
        <RunSetupForm profiles={profiles.data} setup={setup} onSetupChange={setSetup} busy={running} onStart={start} onInvalid={(message) => setError(new BridgeError({ code: 'INVALID_INPUT', message }))} />
      ) : null}
      {progress ? (
        <div className="card run-progress" data-testid="run-progress">
          <div className="run-progress-head">
            <strong>
              {progress.profile} · {progress.mode}
            </strong>
            <span className="muted">
              {progress.phase === 'preparing' ? 'preparing the database and the provider…' : `${formatSeconds(progress.elapsedMs)} of ${formatSeconds(progress.plannedMs)}${progress.phase === 'finishing' ? ' — waiting for the last answers' : ''}`}
            </span>
            <span className="muted mono">{progress.runId}</span>
          </div>
          <div className="progress" role="progressbar" aria-valuenow={Math.round(fraction * 100)} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${fraction * 100}%` }} />
          </div>
        </div>
      ) : null}
      {progress ? (
        <div className="stat-row">
          <StatCard label="Arrival rate" value={`${progress.achievedRate} / ${progress.targetRate.toFixed(0)} /s`} hint="started last second / planned now" testId="stat-rate" />
          <StatCard label="Latency p95" value={formatMs(progress.latencyMs.p95)} hint={`p50 ${formatMs(progress.latencyMs.p50)} · p99 ${formatMs(progress.latencyMs.p99)}`} testId="stat-p95" />
          <StatCard label="Completed" value={progress.requests.completed.toLocaleString()} hint={`of ${progress.requests.planned.toLocaleString()} planned · ${progress.requests.inFlight} in flight`} testId="stat-completed" />
          <StatCard label="Failed" value={errors.toLocaleString()} tone={failedTone(progress.errors)} hint={topErrors(progress.errors)} testId="stat-failed" />
          <StatCard label="Dropped / late" value={`${progress.requests.dropped} / ${progress.requests.late}`} tone={progress.requests.dropped > 0 ? 'warn' : 'neutral'} hint="no free slot / started > 20 ms late" testId="stat-dropped" />
          <StatCard label="HTTP 429" value={progress.http429.toLocaleString()} tone={progress.http429 > 0 ? 'warn' : 'ok'} hint="provider rate-limit answers" testId="stat-429" />
          <StatCard label="DB connections" value={progress.dbConnections === null ? '—' : String(progress.dbConnections)} hint="server side (pg_stat_activity)" testId="stat-db" />
        </div>
      ) : null}
      {finished ? <RunResultCard record={finished} /> : null}
      {progress || finished ? <RunCharts store={series.store} version={series.version} testIdPrefix="live" /> : null}
    </section>
  );
}

/** Shed requests are governance working (failed fast on purpose): amber; anything else red. */
function failedTone(errors: Record<string, number>): 'ok' | 'warn' | 'bad' {
  const kinds = Object.keys(errors).filter((kind) => (errors[kind] ?? 0) > 0);
  if (kinds.length === 0) return 'ok';
  return kinds.every((kind) => kind.startsWith('shed_') || kind === 'aborted') ? 'warn' : 'bad';
}

function topErrors(errors: Record<string, number>): string {
  const entries = Object.entries(errors).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return entries.length === 0 ? 'none' : entries.map(([kind, n]) => `${kind} ${n}`).join(' · ');
}

function placeholderProgress(runId: string, params: StartRunParams): RunProgress {
  return {
    runId,
    profile: params.profile,
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
