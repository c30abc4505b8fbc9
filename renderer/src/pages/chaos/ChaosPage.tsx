import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { ChaosVerdict } from './ChaosVerdict';
import { ProxyCard } from './ProxyCard';
import { ProxyCreateForm } from './ProxyCreateForm';
import { ScenarioList } from './ScenarioList';
import { useChaosPage } from './use-chaos-page';
import './chaos.css';

/** Fault proxies between the stack and its dependencies, with Toxiproxy's toxics, switched live. */
export function ChaosPage() {
  const page = useChaosPage();
  const { chaosRuns, proxies, busy } = page;
  const hintUpstream = page.databaseTarget ?? '127.0.0.1:5432';

  return (
    <section className="page" data-page="chaos" data-ready={page.ready ? 'true' : undefined}>
      <PageHeader
        title="Chaos"
        subtitle="Break the database, the network or the provider on purpose and watch the stack recover. A scenario puts a fault on a timeline (on, hold, off), then checks recovery: the dependency answers again within the bound, requests succeed again, no client leaked, PostgreSQL's own count of our sessions within the pool bound, every request accounted for. Below, fault proxies with Toxiproxy's toxics for your own experiments."
      />
      {page.notice ? (
        <div className="notice notice-ok" role="status">
          {page.notice}
        </div>
      ) : null}
      {page.scenarios ? <ScenarioList scenarios={page.scenarios} profiles={page.profiles} busy={busy} onRunAlone={page.runAlone} onRunInStress={page.runInStress} /> : null}
      {chaosRuns.length > 0 ? (
        <div className="card chaos-runs" data-testid="chaos-runs">
          <h2>Scenario runs</h2>
          <ChaosVerdict run={chaosRuns[0]!} />
          {chaosRuns.slice(1).map((run) => (
            <details key={run.id} className="chaos-run-older">
              <summary>
                {new Date(run.startedAt).toLocaleString()} · {run.scenario} · {run.status} — {run.summary}
              </summary>
              <ChaosVerdict run={run} />
            </details>
          ))}
        </div>
      ) : null}
      <h2 className="chaos-proxies-title">Fault proxies</h2>
      {page.error ? <ErrorNotice error={page.error} /> : null}
      {page.proxiesError ? <ErrorNotice error={page.proxiesError} /> : null}
      <ProxyCreateForm busy={busy} databaseTarget={page.databaseTarget} onCreate={page.create} />
      {proxies && proxies.length === 0 ? (
        <p className="muted" data-testid="no-proxies">
          No fault proxy yet. Create one above, point a client at its listen address, then add toxics. From a terminal:{' '}
          <code className="cli-hint" data-testid="chaos-cli-hint">
            bulkhead chaos proxy --upstream {hintUpstream} --toxic latency=200
          </code>
        </p>
      ) : null}
      {(proxies ?? []).map((proxy) => (
        <ProxyCard key={proxy.name} proxy={proxy} actions={page.actions} busy={busy} />
      ))}
    </section>
  );
}
