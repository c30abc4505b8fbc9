import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeErrorData } from '../../shared/contract';
import { RpcRequestSchema, type CallReply } from '../../shared/wire';
import type { Logger } from '../stack/log/logger';
import type { Dispatcher } from '../stack/service/dispatcher';
import type { CallTransport } from '../stack/service/handlers';
import { describeError } from '../stack/errors';
import { SECURITY_HEADERS } from './security-headers';

export const RPC_PATH = '/rpc';
/** The largest `POST /rpc` body accepted; the biggest real call (alert rules, a profile) is a few KB. */
export const MAX_RPC_BODY_BYTES = 1024 * 1024;

export interface RpcEndpointOptions {
  dispatcher: Dispatcher;
  log: Logger;
  maxBodyBytes?: number;
  transport?: CallTransport;
}

/** A request that must be answered with an HTTP error and no call. */
class RpcRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: BridgeErrorData,
    /** The client is still sending: close the connection after the answer rather than read on. */
    readonly closeAfter = false,
  ) {
    super(error.message);
  }
}

/**
 * Calls over plain HTTP: `POST /rpc {method, params}` → a CallReply. Whatever the body is — not JSON,
 * too big, nested 5,000 deep, cut off half-way — the client gets a structured answer or, when it went
 * away, a quiet close; nothing here can reject unhandled. JSON content type only, so a cross-site form
 * cannot post here; the caller already passed the host's checks (Host, Origin, credential).
 */
export async function answerRpc(request: IncomingMessage, response: ServerResponse, options: RpcEndpointOptions): Promise<void> {
  try {
    const body = await readJsonBody(request, options.maxBodyBytes ?? MAX_RPC_BODY_BYTES);
    const call = RpcRequestSchema.safeParse(body);
    if (!call.success) {
      throw new RpcRefusal(400, { code: 'BAD_MESSAGE', message: 'POST /rpc takes a JSON object {"method": "<contract method>", "params": {…}}; `method` must be a string.' });
    }
    const reply = await options.dispatcher.dispatch(call.data.method, call.data.params, { transport: options.transport ?? 'http' });
    sendReply(response, 200, reply);
  } catch (error) {
    if (error instanceof RpcRefusal) {
      sendReply(response, error.status, { ok: false, error: error.error }, error.closeAfter);
    } else if (request.destroyed || response.destroyed || isClientGone(error)) {
      // The client hung up or the request timed out mid-body: there is no one left to answer.
      options.log.debug(`/rpc: the client went away before the call was answered (${describeError(error)})`);
      response.destroy();
    } else {
      options.log.error('/rpc failed unexpectedly', error);
      sendReply(response, 500, { ok: false, error: { code: 'INTERNAL', message: 'The call failed inside Bulkhead; the log has the details.' } }, true);
    }
  }
}

/** Reads the body up to `max` bytes and parses it as JSON; refuses early on a declared or actual overflow. */
async function readJsonBody(request: IncomingMessage, max: number): Promise<unknown> {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new RpcRefusal(415, { code: 'BAD_MESSAGE', message: 'POST /rpc takes Content-Type: application/json.' }, true);
  }
  const tooLarge = new RpcRefusal(413, { code: 'BAD_MESSAGE', message: `The request body is larger than ${max} bytes.`, remedy: 'Send smaller calls; no contract method needs a body this large.' }, true);
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw tooLarge;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RpcRefusal(400, { code: 'BAD_MESSAGE', message: 'The request body is not valid JSON.' });
  }
}

export function sendReply(response: ServerResponse, status: number, reply: CallReply, closeAfter = false): void {
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  let text: string;
  try {
    text = JSON.stringify(reply);
  } catch {
    status = 500;
    text = JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'The answer could not be encoded as JSON.' } } satisfies CallReply);
  }
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...(closeAfter ? { connection: 'close' } : {}),
  });
  response.end(text);
}

function isClientGone(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE' || (error instanceof Error && error.message === 'aborted');
}
