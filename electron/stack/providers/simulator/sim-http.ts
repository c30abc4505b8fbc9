import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../clock/clock';
import type { Random } from './prng';
import type { SimulatorEngine } from './sim-engine';

/** Bodies above this are refused with the provider's "too large" error instead of being buffered. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** One request as the routes see it. */
export interface SimRequest {
  readonly engine: SimulatorEngine;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly body: Buffer;
  readonly random: Random;
  /** Short unique id for this request (also in x-request-id / request-id). */
  readonly tag: string;
  /** Aborted when the client goes away before the answer is complete. */
  readonly closed: AbortSignal;
  /** Multiplies every latency of this request: > 1 when the congestion model is past its knee. */
  readonly latencyFactor: number;
}

export function sendJson(res: ServerResponse, status: number, headers: Record<string, string>, body: string, engine: SimulatorEngine): void {
  if (res.destroyed) return;
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
  engine.stats.responded(status);
}

export function startSse(res: ServerResponse, headers: Record<string, string>, engine: SimulatorEngine): void {
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  res.writeHead(200, headers);
  // Headers go out now, as a real provider's do, so the client's time-to-first-byte is honest.
  res.flushHeaders();
  engine.stats.responded(200);
  engine.stats.streamed();
}

/** Reads the whole body, or returns null when it exceeds MAX_BODY_BYTES (the rest is drained). */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      if (tooBig) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooBig ? null : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON object body; undefined when it is not valid JSON or not an object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The API key a request carries: `Authorization: Bearer …` or `x-api-key`. Any non-empty key is accepted. */
export function requestApiKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)/i.exec(auth);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** Waits on the simulator's clock; false when the client went away meanwhile. */
export async function pause(request: SimRequest, ms: number): Promise<boolean> {
  if (ms <= 0) return !request.closed.aborted;
  try {
    await sleep(request.engine.clock, ms, request.closed);
    return true;
  } catch {
    return false;
  }
}

/** First-byte delay from the latency model: base plus seeded jitter in [0, jitterMs). */
export function firstByteDelay(request: SimRequest): number {
  const { baseMs, jitterMs } = request.engine.live.latency;
  return (baseMs + (jitterMs > 0 ? request.random.next() * jitterMs : 0)) * request.latencyFactor;
}

/** Whole-answer delay for non-streamed responses: first byte plus per-token generation time. */
export function answerDelay(request: SimRequest, outputTokens: number): number {
  return firstByteDelay(request) + request.engine.live.latency.perTokenMs * request.latencyFactor * outputTokens;
}

/**
 * Streams pieces with the per-token delay, grouping pieces so no timer is shorter than ~5 ms (cheap
 * at high token rates). Returns how many pieces went out before the client left or `stopAfter` hit.
 */
export async function streamPieces(
  request: SimRequest,
  pieces: readonly string[],
  format: (piece: string) => string,
  stopAfter = pieces.length,
): Promise<number> {
  const perTokenMs = request.engine.live.latency.perTokenMs * request.latencyFactor;
  const limit = Math.min(stopAfter, pieces.length);
  if (perTokenMs <= 0) {
    let out = '';
    for (let i = 0; i < limit; i++) out += format(pieces[i] ?? '');
    if (!request.res.destroyed) request.res.write(out);
    return limit;
  }
  const group = Math.max(1, Math.ceil(5 / perTokenMs));
  let sent = 0;
  while (sent < limit) {
    const end = Math.min(limit, sent + group);
    if (!(await pause(request, perTokenMs * (end - sent)))) return sent;
    let out = '';
    for (let i = sent; i < end; i++) out += format(pieces[i] ?? '');
    if (request.res.destroyed) return sent;
    request.res.write(out);
    sent = end;
  }
  return sent;
}
