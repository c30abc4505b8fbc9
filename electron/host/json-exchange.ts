import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BridgeErrorData } from '../../shared/contract';
import type { CallReply } from '../../shared/wire';
import { describeError } from '../stack/errors';
import type { Logger } from '../stack/log/logger';
import { SECURITY_HEADERS } from './security-headers';

/** A request answered with an HTTP error and no further work. */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: BridgeErrorData,
    /** The client may still be sending: close the connection after the answer rather than read on. */
    readonly closeAfter = false,
  ) {
    super(error.message);
  }
}

/**
 * One JSON request/response exchange (`POST /rpc`, `POST /session`, …): reads and parses the body
 * under a size cap, runs `handle`, and sends its CallReply. Whatever the body is — not JSON, too big,
 * nested 5,000 deep, cut off half-way — the client gets a structured answer or, when it went away, a
 * quiet close; nothing here can reject unhandled.
 */
export async function exchangeJson(
  request: IncomingMessage,
  response: ServerResponse,
  options: { maxBodyBytes: number; log: Logger; what: string },
  handle: (body: unknown) => Promise<{ status: number; reply: CallReply }>,
): Promise<void> {
  try {
    const body = await readJsonBody(request, options.maxBodyBytes);
    const { status, reply } = await handle(body);
    sendReply(response, status, reply);
  } catch (error) {
    if (error instanceof HttpRefusal) {
      sendReply(response, error.status, { ok: false, error: error.error }, error.closeAfter);
    } else if (request.destroyed || response.destroyed || isClientGone(error)) {
      // The client hung up or the request timed out mid-body: there is no one left to answer.
      options.log.debug(`${options.what}: the client went away before it was answered (${describeError(error)})`);
      response.destroy();
    } else {
      options.log.error(`${options.what} failed unexpectedly`, error);
      sendReply(response, 500, { ok: false, error: { code: 'INTERNAL', message: 'The request failed inside Bulkhead; the log has the details.' } }, true);
    }
  }
}

/** Reads the body up to `max` bytes and parses it as JSON; refuses early on a declared or actual overflow. */
async function readJsonBody(request: IncomingMessage, max: number): Promise<unknown> {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new HttpRefusal(415, { code: 'BAD_MESSAGE', message: 'This endpoint takes Content-Type: application/json.' }, true);
  }
  const tooLarge = new HttpRefusal(413, { code: 'BAD_MESSAGE', message: `The request body is larger than ${max} bytes.`, remedy: 'Send a smaller request; nothing here needs a body this large.' }, true);
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
    throw new HttpRefusal(400, { code: 'BAD_MESSAGE', message: 'The request body is not valid JSON.' });
  }
}

/** Sends a CallReply as JSON (the one reply shape of the host); if an answer already started, closes. */
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
