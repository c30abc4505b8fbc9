import {
  BridgeError,
  type BridgeErrorData,
  type EventName,
  type MethodName,
  type ParamsOf,
  type PayloadOf,
  type ResultOf,
} from '../../../shared/contract';
import type { Bridge } from '../../../shared/bridge';
import type { ServerMessage } from '../../../shared/wire';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The contract through the browser host: calls as `POST /rpc` (independent of the socket's state, and
 * what browsers and screenshot tools wait for), pushed events over the WebSocket, whose subscriptions
 * are renewed after a reconnect. Authentication rides on the host's HttpOnly session cookie.
 */
export class WebSocketBridge implements Bridge {
  readonly transport = 'websocket' as const;
  private socket: WebSocket | null = null;
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private retryMs = 250;
  private closedByUser = false;

  constructor(
    private readonly url: string,
    private readonly rpcUrl: string,
  ) {
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
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ method, params }),
      });
    } catch {
      throw new BridgeError({ code: 'DISCONNECTED', message: `Bulkhead did not answer ${method}.`, remedy: 'Check that Bulkhead is still running.' });
    }
    let outcome: { ok: boolean; result?: unknown; error?: BridgeErrorData };
    try {
      outcome = (await response.json()) as typeof outcome;
    } catch {
      throw new BridgeError({ code: 'BAD_MESSAGE', message: `Bulkhead answered ${method} with HTTP ${response.status} and no JSON.` });
    }
    if (outcome.ok) return outcome.result as ResultOf<M>;
    throw new BridgeError(outcome.error ?? { code: 'INTERNAL', message: `${method} failed (HTTP ${response.status}).` });
  }

  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
      this.send(JSON.stringify({ type: 'subscribe', event }));
    }
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => {
      const current = this.listeners.get(event);
      current?.delete(entry);
      if (current && current.size === 0) {
        this.listeners.delete(event);
        this.send(JSON.stringify({ type: 'unsubscribe', event }));
      }
    };
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close();
    this.setState('closed');
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retryMs = 250;
      this.setState('open');
      // The listener map is the truth: subscribe to all of it on every (re)connect.
      for (const event of this.listeners.keys()) socket.send(JSON.stringify({ type: 'subscribe', event }));
    });
    socket.addEventListener('message', (message) => this.receive(String(message.data)));
    socket.addEventListener('close', () => {
      this.socket = null;
      if (this.closedByUser) return;
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  /** Sends now if open; otherwise the next 'open' resynchronises subscriptions anyway. */
  private send(frame: string): void {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type !== 'event') return;
    const set = this.listeners.get(message.event as EventName);
    if (set) for (const listener of [...set]) listener(message.payload);
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
