import type { RunRecord } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { BaselinesTable } from './BaselinesTable';
import { ComparisonTable } from './ComparisonTable';
import { useRegressionPage } from './use-regression-page';
import './regression.css';

function runLabel(run: RunRecord): string {
  const s = run.summary;
  return `${new Date(run.createdAt).toLocaleString()} · ${run.name} · ${run.config.mode}${s ? ` · p95 ${Math.round(s.latency_ms.p95)} ms` : ''}`;
}

/** Saved baselines, and any finished run compared with one, metric by metric, with confidence. */
export function RegressionPage() {
  const page = useRegressionPage();
  const { finished, busy } = page;

  return (
    <section className="page" data-page="regression" data-ready={page.ready ? 'true' : undefined}>
      <PageHeader
        title="Regression"
        subtitle="Save a run as a named baseline, then compare later runs with it. Each run is cut into about 20 measurement windows; a metric counts as regressed only when its windows are worse by more than the minimum effect beyond what noise explains (Mann–Whitney U, Holm-corrected over the five metrics). The CLI does the same: bulkhead stress --baseline NAME exits 3 on a regression."
      />
      {page.error ? <ErrorNotice error={page.error} /> : null}
      <div className="card regression-form">
        <h2>Compare a run with a baseline</h2>
        <div className="regression-controls">
          <label>
            baseline
            <select value={page.chosenBaseline} onChange={(e) => page.setBaseline(e.target.value)} data-testid="compare-baseline">
              {page.baselines.map((b) => (
                <option key={b.name} value={b.name}>
                  {b.name} — {b.label}
                </option>
              ))}
            </select>
          </label>
          <label className="regression-run">
            run
            <select value={page.chosenRun} onChange={(e) => page.setRunId(e.target.value)} data-testid="compare-run">
              {finished.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            minimum effect (%)
            <input type="number" min={0} max={100} step={1} value={page.minEffect} onChange={(e) => page.setMinEffect(e.target.value)} />
          </label>
          <button type="button" className="primary" disabled={busy || !page.chosenBaseline || !page.chosenRun} onClick={page.compare} data-testid="compare-go">
            Compare
          </button>
        </div>
        {page.baselinesLoaded && page.baselines.length === 0 ? <p className="muted">No baseline yet: save one below (or run bulkhead stress --save-baseline NAME).</p> : null}
      </div>
      {page.report ? <ComparisonTable report={page.report} /> : null}
      <div className="card">
        <h2>Baselines</h2>
        <BaselinesTable baselines={page.baselines} busy={busy} onDelete={page.remove} />
        <div className="regression-controls regression-save">
          <label className="regression-run">
            save run
            <select value={page.chosenSaveRun} onChange={(e) => page.setSaveRun(e.target.value)} data-testid="save-run">
              {finished.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            as baseline
            <input value={page.saveName} placeholder="main" onChange={(e) => page.setSaveName(e.target.value)} data-testid="save-name" />
          </label>
          <button type="button" disabled={busy || !page.saveName.trim() || !page.chosenSaveRun} onClick={page.save} data-testid="save-baseline">
            Save baseline
          </button>
        </div>
      </div>
    </section>
  );
}
