import { useState } from 'react';
import type { ChaosRun, ChaosScenarioInfo, ProxySnapshot } from '../../../../shared/contract';
import type { AppBridge } from '../../bridge/bridge';
import { useEvent } from '../../hooks/bridge-context';
import { useAction } from '../../hooks/use-action';
import { useCall } from '../../hooks/use-call';
import type { ProxyActions } from './ProxyCard';

/**
 * The Chaos page's state: fault proxies (stored, then pushed live), scenarios and their runs (stored, then
 * pushed on every timeline step), the database target for the one-click proxy, and every action on them
 * through one action hook, so one busy flag and one error cover the page.
 */
export function useChaosPage() {
  const initial = useCall('chaos.proxies.list', {});
  // The database target is known once the pool is ready: ask again whenever its state changes.
  const [dbState, setDbState] = useState('');
  useEvent('pool.snapshot', (snapshot) => setDbState(snapshot.state));
  const poolSettings = useCall('pool.settings', {}, dbState);
  const [live, setLive] = useState<ProxySnapshot[] | null>(null);
  useEvent('chaos.proxies', (payload) => setLive(payload.proxies));
  const scenarios = useCall('chaos.scenarios.list', {});
  const profiles = useCall('stress.profiles', {});
  const storedRuns = useCall('chaos.runs.list', { limit: 20 });
  const [liveRuns, setLiveRuns] = useState<Map<string, ChaosRun>>(new Map());
  const [notice, setNotice] = useState<string | null>(null);
  useEvent('chaos.run', (run) => setLiveRuns((current) => new Map(current).set(run.id, run)));

  const proxies = live ?? initial.data;
  const withSnapshot = (snapshot: ProxySnapshot): void =>
    setLive((current) => [...(current ?? initial.data ?? []).filter((p) => p.name !== snapshot.name), snapshot].sort((a, b) => a.name.localeCompare(b.name)));
  // Answers carry the fresh snapshot(s); the next tick's event would too, a quarter second later.
  const action = useAction((bridge, work: (b: AppBridge) => Promise<ProxySnapshot | ProxySnapshot[] | void>) => work(bridge), {
    onSuccess: (result) => {
      if (Array.isArray(result)) setLive(result);
      else if (result) withSnapshot(result);
    },
  });
  const act = (work: (b: AppBridge) => Promise<ProxySnapshot | ProxySnapshot[] | void>): void => void action.run(work);

  const actions: ProxyActions = {
    addToxic: (proxy, toxic) => act((b) => b.call('chaos.toxics.add', { proxy, toxic })),
    removeToxic: (proxy, name) => act((b) => b.call('chaos.toxics.remove', { proxy, name })),
    setEnabled: (name, enabled) => act((b) => b.call('chaos.proxies.setEnabled', { name, enabled })),
    reset: (name) => act((b) => b.call('chaos.proxies.reset', { name })),
    remove: (name) =>
      act(async (b) => {
        await b.call('chaos.proxies.delete', { name });
        setLive((current) => (current ?? []).filter((p) => p.name !== name));
      }),
  };

  return {
    ready: proxies !== null && scenarios.data !== null,
    proxies,
    proxiesError: initial.error,
    scenarios: scenarios.data,
    profiles: profiles.data ?? [],
    chaosRuns: mergeRuns(storedRuns.data ?? [], liveRuns),
    databaseTarget: hostPortOf(poolSettings.data?.target ?? null),
    notice,
    busy: action.pending,
    error: action.error,
    actions,
    create: (params: { name: string; upstream: string; listenPort: number; purpose: string }) => act((b) => b.call('chaos.proxies.create', params)),
    runAlone: (name: ChaosScenarioInfo['name']) =>
      act(async (b) => {
        await b.call('chaos.scenarios.run', { name });
        setNotice(`Scenario ${name} started with light probe traffic; its timeline fills in below.`);
      }),
    runInStress: (name: ChaosScenarioInfo['name'], profile: string) =>
      act(async (b) => {
        const { runId } = await b.call('stress.start', { profile, chaos: name });
        setNotice(`Stress run ${runId} (${profile}) started with ${name}. Watch the load on the Stress page; the scenario's timeline and verdict appear below.`);
      }),
  };
}

/** "postgres://user@host:port/db" (the pool's target) → "host:port", to put a proxy in front of it in one click. */
export function hostPortOf(target: string | null): string | null {
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
