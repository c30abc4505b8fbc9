import { useState } from 'react';
import { BridgeError, type RegressionReport, type RunRecord } from '../../../../shared/contract';
import { useHashRoute } from '../../app/use-hash-route';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { BaselinesTable } from './BaselinesTable';
import { ComparisonTable } from './ComparisonTable';
import './regression.css';

function runLabel(run: RunRecord): string {
  const s = run.summary;
  return `${new Date(run.createdAt).toLocaleString()} · ${run.name} · ${run.config.mode}${s ? ` · p95 ${Math.round(s.latency_ms.p95)} ms` : ''}`;
}

/** Saved baselines, and any finished run compared with one, metric by metric, with confidence. */
export function RegressionPage() {
  const bridge = useBridge();
  const { query } = useHashRoute();
  const [refresh, setRefresh] = useState(0);
  const baselines = useCall('regression.baselines.list', {}, String(refresh));
  const runs = useCall('stress.runs.list', { limit: 200 }, String(refresh));
  useEvent('stress.finished', () => setRefresh((n) => n + 1));

  const finished = (runs.data ?? []).filter((run) => run.status !== 'running' && run.status !== 'failed');
  const [baseline, setBaseline] = useState(query.get('baseline') ?? '');
  const [runId, setRunId] = useState(query.get('run') ?? '');
  const [minEffect, setMinEffect] = useState('5');
  const [saveRun, setSaveRun] = useState('');
  const [saveName, setSaveName] = useState('');
  const [report, setReport] = useState<RegressionReport | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);

  const chosenBaseline = baseline || baselines.data?.[0]?.name || '';
  const chosenRun = runId || finished[0]?.id || '';
  const chosenSaveRun = saveRun || finished[0]?.id || '';

  const run = async <T,>(work: () => Promise<T>, then: (value: T) => void): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      then(await work());
    } catch (thrown) {
      setError(thrown instanceof BridgeError ? thrown : new BridgeError({ code: 'INTERNAL', message: String(thrown) }));
    } finally {
      setBusy(false);
    }
  };
  const compare = (): void =>
    void run(() => bridge.call('regression.compare', { baseline: chosenBaseline, runId: chosenRun, minEffectPct: Number(minEffect) }), setReport);
  const save = (): void =>
    void run(
      () => bridge.call('regression.baselines.save', { name: saveName.trim(), runId: chosenSaveRun }),
      (saved) => {
        setBaseline(saved.name);
        setSaveName('');
        setRefresh((n) => n + 1);
      },
    );
  const remove = (name: string): void => void run(() => bridge.call('regression.baselines.delete', { name }), () => setRefresh((n) => n + 1));

  return (
    <section className="page" data-page="regression" data-ready={baselines.data !== null && runs.data !== null ? 'true' : undefined}>
      <PageHeader
        title="Regression"
        subtitle="Save a run as a named baseline, then compare later runs with it. Each run is cut into about 20 measurement windows; a metric counts as regressed only when its windows are worse by more than the minimum effect beyond what noise explains (Mann–Whitney U, Holm-corrected over the five metrics). The CLI does the same: bulkhead stress --baseline NAME exits 3 on a regression."
      />
      {error ? <ErrorNotice error={error} /> : null}
      <div className="card regression-form">
        <h2>Compare a run with a baseline</h2>
        <div className="regression-controls">
          <label>
            baseline
            <select value={chosenBaseline} onChange={(e) => setBaseline(e.target.value)} data-testid="compare-baseline">
              {(baselines.data ?? []).map((b) => (
                <option key={b.name} value={b.name}>
                  {b.name} — {b.label}
                </option>
              ))}
            </select>
          </label>
          <label className="regression-run">
            run
            <select value={chosenRun} onChange={(e) => setRunId(e.target.value)} data-testid="compare-run">
              {finished.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            minimum effect (%)
            <input type="number" min={0} max={100} step={1} value={minEffect} onChange={(e) => setMinEffect(e.target.value)} />
          </label>
          <button type="button" className="primary" disabled={busy || !chosenBaseline || !chosenRun} onClick={compare} data-testid="compare-go">
            Compare
          </button>
        </div>
        {baselines.data && baselines.data.length === 0 ? <p className="muted">No baseline yet: save one below (or run bulkhead stress --save-baseline NAME).</p> : null}
      </div>
      {report ? <ComparisonTable report={report} /> : null}
      <div className="card">
        <h2>Baselines</h2>
        <BaselinesTable baselines={baselines.data ?? []} busy={busy} onDelete={remove} />
        <div className="regression-controls regression-save">
          <label className="regression-run">
            save run
            <select value={chosenSaveRun} onChange={(e) => setSaveRun(e.target.value)} data-testid="save-run">
              {finished.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            as baseline
            <input value={saveName} placeholder="main" onChange={(e) => setSaveName(e.target.value)} data-testid="save-name" />
          </label>
          <button type="button" disabled={busy || !saveName.trim() || !chosenSaveRun} onClick={save} data-testid="save-baseline">
            Save baseline
          </button>
        </div>
      </div>
    </section>
  );
}
