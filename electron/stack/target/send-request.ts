import type { Dispatcher } from 'undici';
import { SseFirstEvent } from './sse-first-event';

export interface SentRequest {
  readonly statusCode: number;
  /** Clock ms of the first body byte — the end of the first data event for an SSE stream — or of the headers for an empty body. */
  readonly firstByteAt: number;
  readonly bytesIn: number;
}

/** A request in flight: `cancel` fails it at once with `reason`, whether it is on a socket or still queued in the pool. */
export interface PendingRequest {
  readonly done: Promise<SentRequest>;
  cancel(reason: Error): void;
}

/**
 * Sends one request through an undici dispatcher with a bare handler — no response stream, no promise
 * per chunk — so the generator spends its time on requests, not on the machinery around them. Bytes
 * are counted and dropped as they arrive; only the start of an SSE body is parsed, to find its first event.
 */
export function sendRequest(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  now: () => number,
  onBytes: (count: number) => void,
): PendingRequest {
  let controller: Dispatcher.DispatchController | null = null;
  let cancelled: Error | null = null;
  let settle!: { resolve: (value: SentRequest) => void; reject: (error: Error) => void };
  const done = new Promise<SentRequest>((resolve, reject) => (settle = { resolve, reject }));
  let settled = false;
  const fail = (error: Error): void => {
    if (settled) return;
    settled = true;
    settle.reject(error);
  };
  let statusCode = 0;
  let headersAt = 0;
  let firstByteAt = 0;
  let bytesIn = 0;
  let sse: SseFirstEvent | null = null;
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart(started) {
      controller = started;
      // Cancelled while it waited for a connection: it is never written.
      if (cancelled) started.abort(cancelled);
    },
    onResponseStart(_controller, status, headers) {
      statusCode = status;
      headersAt = now();
      const type = headers['content-type'];
      if (typeof type === 'string' && type.toLowerCase().startsWith('text/event-stream')) sse = new SseFirstEvent();
    },
    onResponseData(_controller, chunk) {
      bytesIn += chunk.length;
      onBytes(chunk.length);
      if (firstByteAt === 0 && (sse === null || sse.push(chunk))) firstByteAt = now();
    },
    onResponseEnd() {
      if (settled) return;
      settled = true;
      // An empty body: its first byte is the headers'; a stream that sent no event: its end.
      if (firstByteAt === 0) firstByteAt = sse === null ? headersAt : now();
      settle.resolve({ statusCode, firstByteAt, bytesIn });
    },
    onResponseError(_controller, error) {
      fail(error);
    },
  };
  dispatcher.dispatch(options, handler);
  return {
    done,
    cancel(reason) {
      if (settled) return;
      cancelled = reason;
      controller?.abort(reason);
      fail(reason);
    },
  };
}
