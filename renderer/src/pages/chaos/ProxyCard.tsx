import type { ProxySnapshot, ToxicInput } from '../../../../shared/contract';
import { describeToxic } from '../../../../shared/toxic-text';
import { ToxicForm } from './ToxicForm';

export interface ProxyActions {
  addToxic(proxy: string, toxic: ToxicInput): void;
  removeToxic(proxy: string, name: string): void;
  setEnabled(proxy: string, enabled: boolean): void;
  reset(proxy: string): void;
  remove(proxy: string): void;
}

function bytes(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)} MB`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)} KB`;
  return `${n} B`;
}

/** One fault proxy: where it sits, what flows through it, its toxics, and the switches. */
export function ProxyCard({ proxy, actions, busy }: { proxy: ProxySnapshot; actions: ProxyActions; busy: boolean }) {
  const c = proxy.connections;
  return (
    <div className={`card proxy-card ${proxy.enabled ? '' : 'proxy-down'}`} data-proxy={proxy.name} data-testid="proxy-card">
      <div className="proxy-head">
        <div>
          <h2>
            {proxy.name} <span className={`badge ${proxy.enabled ? 'badge-ok' : 'badge-bad'}`} data-testid="proxy-state">{proxy.enabled ? 'up' : 'down'}</span>
          </h2>
          <div className="muted">
            {proxy.purpose ? `${proxy.purpose}: ` : ''}
            <code>{proxy.listen}</code> → <code>{proxy.upstream}</code>
          </div>
        </div>
        <div className="page-actions">
          <button type="button" className={proxy.enabled ? 'danger' : 'primary'} disabled={busy} onClick={() => actions.setEnabled(proxy.name, !proxy.enabled)} data-testid="proxy-toggle">
            {proxy.enabled ? 'Take down' : 'Bring up'}
          </button>
          <button type="button" disabled={busy} onClick={() => actions.reset(proxy.name)}>
            Reset
          </button>
          <button type="button" disabled={busy} onClick={() => actions.remove(proxy.name)} aria-label={`delete proxy ${proxy.name}`}>
            Delete
          </button>
        </div>
      </div>
      <div className="proxy-stats">
        <span>
          <strong data-testid="proxy-open">{c.open}</strong> open
        </span>
        <span>{c.accepted} accepted</span>
        <span className={c.upstreamFailures > 0 ? 'text-warn' : undefined}>{c.upstreamFailures} upstream failures</span>
        <span>{c.cutByToxics} cut by toxics</span>
        <span>{c.cutByDown} cut by down</span>
        <span>
          ↑ {bytes(proxy.bytes.upstream.forwarded)}
          {proxy.bytes.upstream.dropped > 0 ? ` (${bytes(proxy.bytes.upstream.dropped)} dropped)` : ''}
        </span>
        <span>
          ↓ {bytes(proxy.bytes.downstream.forwarded)}
          {proxy.bytes.downstream.dropped > 0 ? ` (${bytes(proxy.bytes.downstream.dropped)} dropped)` : ''}
        </span>
      </div>
      {proxy.lastError ? <div className="muted proxy-error">last error: {proxy.lastError}</div> : null}
      {proxy.toxics.length === 0 ? (
        <p className="muted">No toxics: traffic passes untouched.</p>
      ) : (
        <ul className="toxic-list" data-testid="toxic-list">
          {proxy.toxics.map((toxic) => (
            <li key={toxic.name}>
              <code>{toxic.name}</code>
              <span>{describeToxic(toxic)}</span>
              <button type="button" disabled={busy} onClick={() => actions.removeToxic(proxy.name, toxic.name)} aria-label={`remove ${toxic.name}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ToxicForm busy={busy} onAdd={(toxic) => actions.addToxic(proxy.name, toxic)} />
    </div>
  );
}
