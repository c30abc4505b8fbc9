import type { EventName, MethodName, ParamsOf, PayloadOf, ResultOf } from './contract';

/** How calls reach the stack: Electron IPC, or `POST /rpc` to the browser host. */
export type BridgeTransport = 'ipc' | 'http';

/**
 * What the renderer talks to. Electron IPC and the browser host both implement it; the renderer never
 * knows which one it has.
 */
export interface Bridge {
  readonly transport: BridgeTransport;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** Returns the function that unsubscribes. */
  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
}

/** The surface the Electron preload puts on `window.bulkhead`: one function per contract method. */
export interface PreloadApi {
  readonly methods: { readonly [M in MethodName]: (params: unknown) => Promise<unknown> };
  readonly events: readonly EventName[];
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}
