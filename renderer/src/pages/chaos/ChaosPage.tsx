import { useState } from 'react';
import { BridgeError, type ProxySnapshot } from '../../../../shared/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { PageHeader } from '../../components/PageHeader';
import { useBridge, useEvent } from '../../hooks/bridge-context';
import { useCall } from '../../hooks/use-call';
import { ProxyCard, type ProxyActions } from './ProxyCard';
import { ProxyCreateForm } from './ProxyCreateForm';
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
    <section className="page" data-page="chaos" data-ready={proxies !== null ? 'true' : undefined}>
      <PageHeader
        title="Chaos"
        subtitle="Fault proxies: a TCP proxy in front of a dependency (the RAG database, a provider), with the toxics Toxiproxy users know — latency, bandwidth, timeout (blackhole), reset_peer, slow_close, limit_data — added and removed while traffic flows. Taking a proxy down refuses new connections and cuts the open ones."
      />
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
