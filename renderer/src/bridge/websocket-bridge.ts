import {
  BridgeError,
  type EventName,
  type MethodName,
  type ParamsOf,
  type PayloadOf,
  type ResultOf,
} from '../../../shared/contract';
import type { Bridge } from '../../../shared/bridge';
import type { ServerMessage } from '../../../shared/wire';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: BridgeError) => void;
}

/**
 * The contract over the browser host's WebSocket. Calls made while (re)connecting wait for the socket;
 * calls in flight when it drops reject with DISCONNECTED; subscriptions are renewed after a reconnect.
 * Authentication rides on the host's HttpOnly session cookie, which the browser sends with the upgrade.
 */
export class WebSocketBridge implements Bridge {
  readonly transport = 'websocket' as const;
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private readonly outbox: string[] = [];
  private state: ConnectionState = 'connecting';
  private retryMs = 250;
  private closedByUser = false;

  constructor(private readonly url: string) {
    this.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  onConnectionState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.send(JSON.stringify({ type: 'call', id, method, params }));
    });
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
      for (const event of this.listeners.keys()) socket.send(JSON.stringify({ type: 'subscribe', event }));
      for (const frame of this.outbox.splice(0)) socket.send(frame);
    });
    socket.addEventListener('message', (message) => this.receive(String(message.data)));
    socket.addEventListener('close', () => {
      this.socket = null;
      for (const [id, call] of this.pending) {
        call.reject(new BridgeError({ code: 'DISCONNECTED', message: 'The connection to Bulkhead was lost during the call.', remedy: 'Check that Bulkhead is still running; the panel reconnects by itself.' }));
        this.pending.delete(id);
      }
      if (this.closedByUser) return;
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 5000);
    });
  }

  private send(frame: string): void {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
    else this.outbox.push(frame);
  }

  private receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'event') {
      const set = this.listeners.get(message.event as EventName);
      if (set) for (const listener of [...set]) listener(message.payload);
      return;
    }
    if (message.type === 'result' && message.id !== null) {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new BridgeError(message.error));
    }
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
