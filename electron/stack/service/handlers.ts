import type { MethodName, ParsedParamsOf, ResultOf } from '../../../shared/contract';

/**
 * Who is calling: transports fill this in so handlers can answer `app.info` or scope per client.
 * `ipc`: the desktop window; `http`: `POST /rpc` to the browser host (the panel in a browser, or a local
 * client holding the host's secret); `in-process`: the CLI or a test calling the dispatcher directly.
 */
export interface CallContext {
  readonly transport: CallTransport;
}

export type CallTransport = 'ipc' | 'http' | 'in-process';

export type Handler<M extends MethodName> = (
  params: ParsedParamsOf<M>,
  context: CallContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

/** One handler per contract method; the type makes a missing handler a compile error. */
export type Handlers = { readonly [M in MethodName]: Handler<M> };

