import { useState } from 'react';

interface Props {
  busy: boolean;
  /** host:port of the RAG database, when known, for the one-click preset. */
  databaseTarget: string | null;
  onCreate: (params: { name: string; upstream: string; listenPort: number; purpose: string }) => void;
}

/** Starts a fault proxy on 127.0.0.1 in front of host:port. */
export function ProxyCreateForm({ busy, databaseTarget, onCreate }: Props) {
  const [name, setName] = useState('db');
  const [upstream, setUpstream] = useState('');
  const [port, setPort] = useState('0');
  const [purpose, setPurpose] = useState('');
  const upstreamValue = upstream || databaseTarget || '';

  return (
    <form
      className="card proxy-create"
      onSubmit={(e) => {
        e.preventDefault();
        onCreate({ name: name.trim(), upstream: upstreamValue.trim(), listenPort: Number(port), purpose: purpose.trim() || (upstreamValue === databaseTarget ? 'RAG database' : '') });
      }}
    >
      <label>
        name
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="proxy-name" />
      </label>
      <label className="proxy-upstream">
        in front of (host:port)
        <input value={upstreamValue} placeholder="127.0.0.1:5432" onChange={(e) => setUpstream(e.target.value)} data-testid="proxy-upstream" />
      </label>
      <label>
        listen port
        <input type="number" min={0} max={65535} value={port} onChange={(e) => setPort(e.target.value)} title="0 = any free port" />
      </label>
      <label>
        purpose
        <input value={purpose} placeholder={upstreamValue === databaseTarget ? 'RAG database' : 'provider, cache…'} onChange={(e) => setPurpose(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || upstreamValue.trim() === ''} data-testid="proxy-create">
        Create proxy
      </button>
      {databaseTarget ? (
        <p className="muted proxy-create-note">
          Prefilled with the RAG database ({databaseTarget}). Clients reach it through the proxy once they connect to its listen address.
        </p>
      ) : null}
    </form>
  );
}
