import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcRequestSchema } from '../../shared/wire';
import type { Logger } from '../stack/log/logger';
import type { Dispatcher } from '../stack/service/dispatcher';
import { exchangeJson, HttpRefusal } from './json-exchange';

/** The largest `POST /rpc` body accepted; the biggest real call (alert rules, a profile) is a few KB. */
export const MAX_RPC_BODY_BYTES = 1024 * 1024;

export interface RpcEndpointOptions {
  dispatcher: Dispatcher;
  log: Logger;
  maxBodyBytes?: number;
}

/**
 * Calls over plain HTTP: `POST /rpc {method, params}` → the dispatcher's CallReply. JSON content type
 * only, so a cross-site form cannot post here; the caller already passed the host's checks (Host,
 * Origin, credential).
 */
export function answerRpc(request: IncomingMessage, response: ServerResponse, options: RpcEndpointOptions): Promise<void> {
  return exchangeJson(request, response, { maxBodyBytes: options.maxBodyBytes ?? MAX_RPC_BODY_BYTES, log: options.log, what: 'POST /rpc' }, async (body) => {
    const call = RpcRequestSchema.safeParse(body);
    if (!call.success) {
      throw new HttpRefusal(400, { code: 'BAD_MESSAGE', message: 'POST /rpc takes a JSON object {"method": "<contract method>", "params": {…}}; `method` must be a string.' });
    }
    return { status: 200, reply: await options.dispatcher.dispatch(call.data.method, call.data.params, { transport: 'http' }) };
  });
}
