import { BridgeError, type EventName, type MethodName, type ParamsOf, type PayloadOf, type ResultOf } from '../../../shared/contract';
import type { Bridge, PreloadApi } from '../../../shared/bridge';
import { CallReplySchema } from '../../../shared/wire';

/** The contract over Electron IPC, through the functions the preload put on `window.bulkhead`. */
export class IpcBridge implements Bridge {
  readonly transport = 'ipc' as const;

  constructor(private readonly api: PreloadApi) {}

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const reply = CallReplySchema.safeParse(await this.api.methods[method](params));
    if (!reply.success) throw new BridgeError({ code: 'BAD_MESSAGE', message: `Bulkhead answered ${method} in an unknown shape.` });
    if (!reply.data.ok) throw new BridgeError(reply.data.error);
    return reply.data.result as ResultOf<M>;
  }

  subscribe<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return this.api.subscribe(event, listener as (payload: unknown) => void);
  }
}
