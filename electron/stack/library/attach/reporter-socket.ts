import { createConnection, type NetConnectOpts, type Socket } from 'node:net';
import WebSocket from 'ws';

/** What the reporter needs of a connection; tests give it their own, the library a `ws` client. */
export interface ReporterSocket {
  send(text: string): void;
  /** Bytes queued in the socket but not yet written; past a cap the reporter stops sending. */
  readonly bufferedAmount: number;
  close(): void;
}

export interface ReporterSocketEvents {
  onOpen(): void;
  onMessage(text: string): void;
  /** Called once per socket, whether it never opened or was open. */
  onClose(): void;
}

export type ConnectReporterSocket = (url: string, events: ReporterSocketEvents) => ReporterSocket;

function unrefConnectionImpl(options: NetConnectOpts): Socket {
  const socket = createConnection(options);
  socket.unref();
  return socket;
}
/** ws calls it with options only; its type is net.createConnection's with all its overloads. */
const unrefConnection = unrefConnectionImpl as unknown as typeof createConnection;

/**
 * A `ws` client whose TCP socket is unref'd from the start: an attached process exits when its own
 * work is done, as it would without the panel — the reporter never keeps it alive.
 */
export const connectWithWs: ConnectReporterSocket = (url, events) => {
  const ws = new WebSocket(url, {
    handshakeTimeout: 5000,
    maxPayload: 64 * 1024,
    perMessageDeflate: false,
    createConnection: unrefConnection,
  });
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    events.onClose();
  };
  ws.on('open', () => events.onOpen());
  ws.on('message', (data, isBinary) => {
    if (!isBinary) events.onMessage(data.toString());
  });
  ws.on('close', closeOnce);
  ws.on('error', () => {
    // A refused or reset connection ends in 'close' too; the error itself is the reporter's business only.
    closeOnce();
  });
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    close: () => ws.terminate(),
  };
};
