import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { RunCompare } from './RunCompare';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';
import { NO_FILTER, useHistoryPage } from './use-history-page';

const STATUSES = ['completed', 'stopped', 'aborted', 'failed', 'interrupted', 'running'] as const;

/** Stored stress runs with their verdicts; open one for its charts, pick two to compare, export or delete. */
export function HistoryPage() {
  const page = useHistoryPage();
  const { filter, runs } = page;

  return (
    <section className="page" data-page="history" data-ready={page.loaded ? 'true' : undefined}>
      <PageHeader
        title="History"
        subtitle="Every stress run with its verdict. Open a run for its per-second charts; tick two (say the same profile governed and unbounded) and compare them side by side. Export a run as a self-contained HTML report or as JSON."
        actions={
          <button type="button" className="primary" disabled={page.picked.length !== 2} onClick={page.comparePicked} data-testid="compare-runs">
            Compare {page.picked.length === 2 ? 'the two picked runs' : '(pick two)'}
          </button>
        }
      />
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {page.compareA && page.compareB ? <RunCompare a={page.compareA} b={page.compareB} /> : page.open ? <RunDetail runId={page.open} /> : null}
      <div className="card">
        <div className="history-filters" role="group" aria-label="filter runs">
          <label>
            profile
            <select value={filter.profile} onChange={(e) => page.setFilter({ ...filter, profile: e.target.value })} data-testid="filter-profile">
              <option value="">any</option>
              {page.profileNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label>
            mode
            <select value={filter.mode} onChange={(e) => page.setFilter({ ...filter, mode: e.target.value })} data-testid="filter-mode">
              <option value="">any</option>
              <option value="governed">governed</option>
              <option value="unbounded">unbounded</option>
            </select>
          </label>
          <label>
            status
            <select value={filter.status} onChange={(e) => page.setFilter({ ...filter, status: e.target.value })} data-testid="filter-status">
              <option value="">any</option>
              {STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          {page.filtered ? (
            <button type="button" onClick={() => page.setFilter(NO_FILTER)}>
              Show all
            </button>
          ) : null}
          {page.exported ? (
            <span className="muted history-exported" role="status">
              Saved {page.exported}
            </span>
          ) : null}
        </div>
        {runs.length === 0 && page.loaded ? (
          <p className="muted" data-testid="runs-empty">
            {page.filtered ? 'No run matches this filter.' : 'No stress runs yet. Start one on the Stress page, or with `bulkhead stress --profile light`.'}
          </p>
        ) : (
          <RunsTable
            runs={runs}
            open={page.open}
            picked={page.picked}
            onToggle={page.toggle}
            confirming={page.confirming}
            deleting={page.deleting}
            onAskDelete={page.askDelete}
            onConfirmDelete={page.confirmDelete}
            exportBusy={page.exportBusy}
            onExport={page.exportRun}
          />
        )}
      </div>
    </section>
  );
}
