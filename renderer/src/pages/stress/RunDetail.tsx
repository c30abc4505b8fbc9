import { useEffect } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useCall } from '../../hooks/use-call';
import { RunCharts } from './RunCharts';
import { RunResultCard } from './RunResultCard';
import { describeRun } from './run-format';
import { useRunSeries } from './run-series';

/** One stored run: its verdict and its per-second charts. */
export function RunDetail({ runId }: { runId: string }) {
  const run = useCall('stress.runs.get', { runId, maxSamples: 1_800 });
  const series = useRunSeries(1_800);
  const { reset, push } = series;
  useEffect(() => {
    reset();
    if (run.data) push(run.data.samples);
  }, [run.data, reset, push]);

  if (run.error) return <ErrorNotice error={run.error} />;
  if (!run.data) return <div className="card muted">Loading run {runId}…</div>;
  return (
    <div className="run-detail" data-testid="run-detail">
      <h2>{describeRun(run.data.run)}</h2>
      <RunResultCard record={run.data.run} showLink={false} />
      {run.data.samples.length === 0 ? <p className="muted">This run stored no samples.</p> : <RunCharts store={series.store} version={series.version} testIdPrefix="detail" isTarget={run.data.run.config.profile.target !== undefined} />}
    </div>
  );
}
