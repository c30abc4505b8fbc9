import type { Bridge, PreloadApi } from '../../../shared/bridge';
import { IpcBridge } from './ipc-bridge';
import { WebSocketBridge, type ConnectionState } from './websocket-bridge';

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

/** The renderer's one way out: IPC inside Electron, the host's WebSocket in a browser. */
export function createBridge(): AppBridge {
  if (window.bulkhead) {
    const ipc = new IpcBridge(window.bulkhead);
    return Object.assign(ipc, {
      connectionState: 'open' as const,
      onConnectionState: () => () => undefined,
    });
  }
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketBridge(`${scheme}://${window.location.host}/ws`, `${window.location.origin}/rpc`);
}

export type { ConnectionState };
