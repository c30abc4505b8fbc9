import { useState } from 'react';
import { BridgeError, type ChaosRun, type ProxySnapshot } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { ChaosVerdict } from './ChaosVerdict';
import { ProxyCard, type ProxyActions } from './ProxyCard';
import { ProxyCreateForm } from './ProxyCreateForm';
import { ScenarioList } from './ScenarioList';
import './chaos.css';

/** Fault proxies between the stack and its dependencies, with Toxiproxy's toxics, switched live. */
export function ChaosPage() {
  const bridge = useBridge();
  const initial = useCall('chaos.proxies.list', {});
  // The database target is known once the pool is ready: ask again whenever its state changes.
  const [dbState, setDbState] = useState('');
  useEvent('pool.snapshot', (snapshot) => setDbState(snapshot.state));
  const poolSettings = useCall('pool.settings', {}, dbState);
  const [live, setLive] = useState<ProxySnapshot[] | null>(null);
  const [error, setError] = useState<BridgeError | null>(null);
  const [busy, setBusy] = useState(false);
  useEvent('chaos.proxies', (payload) => setLive(payload.proxies));
  const scenarios = useCall('chaos.scenarios.list', {});
  const profiles = useCall('stress.profiles', {});
  const storedRuns = useCall('chaos.runs.list', { limit: 20 });
  const [liveRuns, setLiveRuns] = useState<Map<string, ChaosRun>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  useEvent('chaos.run', (run) => setLiveRuns((current) => new Map(current).set(run.id, run)));
  const chaosRuns = mergeRuns(storedRuns.data ?? [], liveRuns);

  const proxies = live ?? initial.data;
  const act = async (work: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = await work();
      // Answers carry the fresh snapshot(s); the next tick's event would too, a quarter second later.
      if (Array.isArray(result)) setLive(result as ProxySnapshot[]);
      else if (result && typeof result === 'object' && 'name' in result) {
        const snap = result as ProxySnapshot;
        setLive((current) => [...(current ?? initial.data ?? []).filter((p) => p.name !== snap.name), snap].sort((a, b) => a.name.localeCompare(b.name)));
      }
    } catch (thrown) {
      setError(thrown instanceof BridgeError ? thrown : new BridgeError({ code: 'INTERNAL', message: String(thrown) }));
    } finally {
      setBusy(false);
    }
  };
  const actions: ProxyActions = {
    addToxic: (proxy, toxic) => void act(() => bridge.call('chaos.toxics.add', { proxy, toxic })),
    removeToxic: (proxy, name) => void act(() => bridge.call('chaos.toxics.remove', { proxy, name })),
    setEnabled: (name, enabled) => void act(() => bridge.call('chaos.proxies.setEnabled', { name, enabled })),
    reset: (name) => void act(() => bridge.call('chaos.proxies.reset', { name })),
    remove: (name) =>
      void act(async () => {
        await bridge.call('chaos.proxies.delete', { name });
        setLive((current) => (current ?? []).filter((p) => p.name !== name));
      }),
  };

  const databaseTarget = hostPortOf(poolSettings.data?.target ?? null);

  return (
    <section className="page" data-page="chaos" data-ready={proxies !== null && scenarios.data !== null ? 'true' : undefined}>
      <PageHeader
        title="Chaos"
        subtitle="Break the database, the network or the provider on purpose and watch the stack recover. A scenario puts a fault on a timeline (on, hold, off), then checks recovery: the dependency answers again within the bound, requests succeed again, no client leaked, PostgreSQL's own count of our sessions within the pool bound, every request accounted for. Below, fault proxies with Toxiproxy's toxics for your own experiments."
      />
      {notice ? (
        <div className="notice notice-ok" role="status">
          {notice}
        </div>
      ) : null}
      {scenarios.data ? (
        <ScenarioList
          scenarios={scenarios.data}
          profiles={profiles.data ?? []}
          busy={busy}
          onRunAlone={(name) =>
            void act(async () => {
              await bridge.call('chaos.scenarios.run', { name });
              setNotice(`Scenario ${name} started with light probe traffic; its timeline fills in below.`);
            })
          }
          onRunInStress={(name, profile) =>
            void act(async () => {
              const { runId } = await bridge.call('stress.start', { profile, chaos: name });
              setNotice(`Stress run ${runId} (${profile}) started with ${name}. Watch the load on the Stress page; the scenario's timeline and verdict appear below.`);
            })
          }
        />
      ) : null}
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
      {error ? <ErrorNotice error={error} /> : null}
      {initial.error ? <ErrorNotice error={initial.error} /> : null}
      <ProxyCreateForm busy={busy} databaseTarget={databaseTarget} onCreate={(params) => void act(() => bridge.call('chaos.proxies.create', params))} />
      {proxies && proxies.length === 0 ? (
        <p className="muted" data-testid="no-proxies">
          No fault proxy yet. Create one above, point a client at its listen address, then add toxics. From a terminal: <code>bulkhead chaos proxy --upstream 127.0.0.1:5432 --toxic latency=200</code>.
        </p>
      ) : null}
      {(proxies ?? []).map((proxy) => (
        <ProxyCard key={proxy.name} proxy={proxy} actions={actions} busy={busy} />
      ))}
    </section>
  );
}

/** "postgres://user@host:port/db" (the pool's target) → "host:port", to put a proxy in front of it in one click. */
function hostPortOf(target: string | null): string | null {
  if (!target) return null;
  const match = /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?([^/?]+:\d+)/i.exec(target);
  return match?.[1] ?? null;
}

/** Stored runs with the live ones (pushed on every timeline step) on top, newest first. */
function mergeRuns(stored: readonly ChaosRun[], live: ReadonlyMap<string, ChaosRun>): ChaosRun[] {
  const byId = new Map(stored.map((run) => [run.id, run]));
  for (const [id, run] of live) byId.set(id, run);
  return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt);
}
