import type { Bridge, PreloadApi } from '../../../shared/bridge';
import { takeLaunchCode } from '../../../shared/host-protocol';
import { HostBridge, type ConnectionState } from './host-bridge';
import { forgetHostSession, startHostSession, type SessionProblem } from './host-session';
import { IpcBridge } from './ipc-bridge';

declare global {
  interface Window {
    /** Present only inside the Electron app, put there by the preload. */
    readonly bulkhead?: PreloadApi;
  }
}

export interface AppBridge extends Bridge {
  readonly connectionState: ConnectionState;
  onConnectionState(listener: (state: ConnectionState) => void): () => void;
}

export type BridgeStart = { ok: true; bridge: AppBridge } | { ok: false; problem: SessionProblem };

/**
 * The renderer's one way out: IPC inside Electron, the browser host (HTTP calls, WebSocket events) in a
 * browser — once this tab has a session (its launch link traded, or kept from before a reload).
 */
export async function createBridge(): Promise<BridgeStart> {
  if (window.bulkhead) {
    const ipc = new IpcBridge(window.bulkhead);
    return { ok: true, bridge: Object.assign(ipc, { connectionState: 'open' as const, onConnectionState: () => () => undefined }) };
  }
  // A link pasted into a tab that is already open only changes the fragment, which reloads nothing:
  // reload, so the new code is traded (and taken out of the address bar) like on a first load.
  window.addEventListener('hashchange', () => {
    if (takeLaunchCode(window.location.hash).code !== null) window.location.reload();
  });
  const session = await startHostSession({ location: window.location, history: window.history, storage: window.sessionStorage, fetch: window.fetch.bind(window) });
  if (!session.ok) return session;
  const bridge = new HostBridge({
    origin: window.location.origin,
    credential: session.credential,
    onSignedOut: () => forgetHostSession(window.sessionStorage),
  });
  return { ok: true, bridge };
}

export type { ConnectionState };
