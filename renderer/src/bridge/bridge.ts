import type { Bridge, PreloadApi } from '../../../shared/bridge';
import { IpcBridge } from './ipc-bridge';
import { HostBridge, type ConnectionState } from './host-bridge';

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

/** The renderer's one way out: IPC inside Electron, the browser host (HTTP calls, WebSocket events) in a browser. */
export function createBridge(): AppBridge {
  if (window.bulkhead) {
    const ipc = new IpcBridge(window.bulkhead);
    return Object.assign(ipc, {
      connectionState: 'open' as const,
      onConnectionState: () => () => undefined,
    });
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new HostBridge(`${scheme}://${window.location.host}/ws`, `${window.location.origin}/rpc`);
}

export type { ConnectionState };
