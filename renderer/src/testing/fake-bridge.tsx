import type { ReactNode } from 'react';
import type { EventName, MethodName, ParamsOf, PayloadOf, ResultOf } from '../../../shared/contract';
import type { AppBridge, ConnectionState } from '../bridge/bridge';
import { BridgeProvider } from '../hooks/bridge-context';

type Handler = (params: unknown) => unknown;

/**
 * The transport boundary for renderer unit tests: answers calls from handlers the test registers (a handler
 * may return a promise, or throw to reject) and lets the test push events. Hooks and pages are real.
 */
export class FakeBridge implements AppBridge {
  readonly transport = 'http' as const;
  connectionState: ConnectionState = 'open';
  readonly calls: Array<{ method: MethodName; params: unknown }> = [];
  private readonly handlers = new Map<MethodName, Handler>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  on<M extends MethodName>(method: M, handler: (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>): this {
    this.handlers.set(method, handler as Handler);
    return this;
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    this.calls.push({ method, params });
    const handler = this.handlers.get(method);
    if (!handler) throw new Error(`FakeBridge: no handler for ${method}`);
    return (await handler(params)) as ResultOf<M>;
  }

  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = listener as (payload: unknown) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  emit<E extends EventName>(event: E, payload: PayloadOf<E>): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(payload);
  }

  subscriberCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  onConnectionState(): () => void {
    return () => undefined;
  }
}

export function withBridge(bridge: AppBridge) {
  return function Wrapper({ children }: { children: ReactNode }) {
    return <BridgeProvider bridge={bridge}>{children}</BridgeProvider>;
  };
}

/** A promise the test settles by hand, to look at the pending state in between. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
