import { BridgeError, type EventName, type MethodName, type ParamsOf, type PayloadOf, type ResultOf } from '../../../shared/contract';
import type { Bridge } from '../../../shared/bridge';
import { RPC_PATH, WEBSOCKET_PATH, WS_CREDENTIAL_PREFIX, WS_PROTOCOL } from '../../../shared/host-protocol';
import { EventSubscriptions } from '../../../shared/subscriptions';
import { CallReplySchema, ServerMessageSchema, type CallReply, type ClientMessage } from '../../../shared/wire';

/** `signed-out`: the host no longer accepts this tab's session (it restarted); a new link is needed. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'signed-out' | 'closed';

export interface HostBridgeOptions {
  /** http://127.0.0.1:PORT — the page's own origin. */
  origin: string;
  /** This tab's session credential (see host-session.ts). */
  credential: string;
  /** Told once when the host refuses the credential. */
  onSignedOut?: () => void;
}

/**
 * The contract through the browser host: calls as `POST /rpc` (independent of the socket's state, and
 * what browsers and screenshot tools wait for), pushed events over the WebSocket, whose subscriptions
 * are renewed after a reconnect. The session credential goes only to this origin: as a header on
 * calls, as a subprotocol on the socket. Every answer is parsed with the wire schemas, never cast.
 */
export class HostBridge implements Bridge {
  readonly transport = 'http' as const;
  private socket: WebSocket | null = null;
  private readonly subscriptions = new EventSubscriptions<EventName>({
    open: (event) => this.send({ type: 'subscribe', event }),
    close: (event) => this.send({ type: 'unsubscribe', event }),
  });
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private retryMs = 250;
  private closedByUser = false;

  private readonly rpcUrl: string;
  private readonly socketUrl: string;

  constructor(private readonly options: HostBridgeOptions) {
    this.rpcUrl = `${options.origin}${RPC_PATH}`;
    this.socketUrl = `${options.origin.replace(/^http/, 'ws')}${WEBSOCKET_PATH}`;
    this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    let response: Response;
    try {
      response = await fetch(this.rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.credential}` },
        credentials: 'omit',
        body: JSON.stringify({ method, params }),
      });
    } catch {
      throw new BridgeError({ code: 'DISCONNECTED', message: `Bulkhead did not answer ${method}.`, remedy: 'Check that Bulkhead is still running.' });
    }
    const reply = await readReply(response, method);
    if (reply.ok) return reply.result as ResultOf<M>;
    if (response.status === 401 || response.status === 403) this.signOut();
    throw new BridgeError(reply.error);
  }

  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return this.subscriptions.add(event, listener as (payload: unknown) => void);
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close();
    this.setState('closed');
  }

  private connect(): void {
    if (this.closedByUser || this.state === 'signed-out') return;
    const socket = new WebSocket(this.socketUrl, [WS_PROTOCOL, `${WS_CREDENTIAL_PREFIX}${this.options.credential}`]);
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.retryMs = 250;
      this.setState('open');
      // The listener sets are the truth: subscribe to all of them on every (re)connect.
      this.subscriptions.renew();
    });
    socket.addEventListener('message', (message) => this.receive(message.data));
    socket.addEventListener('close', () => {
      this.socket = null;
      if (this.closedByUser || this.state === 'signed-out') return;
      this.setState('reconnecting');
      // A browser does not say why a handshake failed: a refused session looks like a host that is down.
      // One call tells them apart (it signs out on 401/403) before the next attempt.
      const probe = opened ? Promise.resolve() : this.call('app.info', {}).then(() => undefined, () => undefined);
      void probe.then(() => setTimeout(() => this.connect(), this.retryMs));
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  private signOut(): void {
    if (this.state === 'signed-out') return;
    this.setState('signed-out');
    this.socket?.close();
    this.options.onSignedOut?.();
  }

  /** Sends now if open; otherwise the next 'open' renews subscriptions anyway. */
  private send(message: ClientMessage): void {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const message = ServerMessageSchema.safeParse(raw);
    if (!message.success) return;
    if (message.data.type === 'event') this.subscriptions.deliver(message.data.event as EventName, message.data.payload);
    else if (message.data.type === 'error') console.warn(`Bulkhead refused a WebSocket message: ${message.data.error.message}`);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** The CallReply in an HTTP answer, or a BridgeError saying what came back instead. */
async function readReply(response: Response, method: string): Promise<CallReply> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new BridgeError({ code: 'BAD_MESSAGE', message: `Bulkhead answered ${method} with HTTP ${response.status} and no JSON.` });
  }
  const reply = CallReplySchema.safeParse(body);
  if (!reply.success) {
    throw new BridgeError({ code: 'BAD_MESSAGE', message: `Bulkhead answered ${method} with HTTP ${response.status} in an unknown shape.` });
  }
  return reply.data;
}
