import {
  BridgeError,
  type BridgeErrorData,
  type EventName,
  type MethodName,
  type ParamsOf,
  type PayloadOf,
  type ResultOf,
} from '../../../shared/contract';
import type { Bridge, PreloadApi } from '../../../shared/bridge';

interface IpcOutcome {
  ok: boolean;
  result?: unknown;
  error?: BridgeErrorData;
}

/** The contract over Electron IPC, through the functions the preload put on `window.bulkhead`. */
export class IpcBridge implements Bridge {
  readonly transport = 'ipc' as const;

  constructor(private readonly api: PreloadApi) {}

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const invoke = this.api.methods[method];
    const outcome = (await invoke(params)) as IpcOutcome;
    if (!outcome.ok) throw new BridgeError(outcome.error ?? { code: 'INTERNAL', message: `${method} failed.` });
    return outcome.result as ResultOf<M>;
  }

  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return this.api.subscribe(event, listener as (payload: unknown) => void);
  }
}
