/**
 * `POST /rpc` against hostile and broken clients, over real sockets: every request gets an answer or a
 * clean close, and nothing rejects unhandled. Raw requests go through `net` so the test controls every
 * byte (half bodies, lies in Content-Length, trickled headers).
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RPC_BODY_BYTES } from './rpc-endpoint';
import { openSession, startTestHost, type TestHost } from './testing/host-fixture';

let host: TestHost;
let credential: string;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  // Short deadlines so a trickling client is cut off within the test.
  host = await startTestHost({ timeouts: { headersMs: 400, requestMs: 600, checkEveryMs: 100 } });
  credential = await openSession(host);
});

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await host?.stop();
});

const authorization = (): string => `Bearer ${credential}`;

/** Sends raw bytes and collects everything the server writes until it closes the connection. */
function rawExchange(send: (socket: Socket) => void): Promise<{ text: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.server.port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve({ text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? NaN) || null }));
    socket.on('connect', () => send(socket));
  });
}

const head = (length: number | null, extra = ''): string =>
  `POST /rpc HTTP/1.1\r\nHost: 127.0.0.1:${host.server.port}\r\nAuthorization: ${authorization()}\r\nContent-Type: application/json\r\n${
    length === null ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${length}\r\n`
  }${extra}\r\n`;

const bodyOf = (text: string): unknown => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${host.base}/rpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: authorization(), ...headers },
    body,
  });
  return { status: response.status, json: await response.json() };
}

describe('POST /rpc: every request gets an answer', () => {
  it('answers a method nested 5,000 arrays deep with a structured error, not a stack overflow', async () => {
    const { status, json } = await post(`{"method":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expect(status).toBe(400);
    expect(json).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE', message: expect.stringContaining('`method` must be a string') } });
  });

  it('answers deeply nested params with INVALID_PARAMS', async () => {
    const { json } = await post(`{"method":"runtime.history","params":{"limit":${'['.repeat(5000)}${']'.repeat(5000)}}}`);
    expect(json).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'limit' }] } });
  });

  it('describes an unknown method by a capped, sanitised quote', async () => {
    const { json } = await post(JSON.stringify({ method: `evil\r\n\u202e${'m'.repeat(200_000)}` }));
    const error = (json as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('UNKNOWN_METHOD');
    expect(error.message.length).toBeLessThan(120);
    expect(error.message).not.toMatch(/[\r\n\u202e]/);
  });

  it('answers bodies that are not a call object', async () => {
    for (const body of ['[]', '"app.info"', 'null', '42', '{not json']) {
      const { status, json } = await post(body);
      expect(status, body).toBe(400);
      expect(json, body).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    }
  });

  it('refuses a declared oversized body at once, with 413 and a close', async () => {
    const { status, text } = await rawExchange((socket) => socket.write(head(MAX_RPC_BODY_BYTES + 1)));
    expect(status).toBe(413);
    expect(bodyOf(text)).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE', message: expect.stringContaining(`${MAX_RPC_BODY_BYTES} bytes`) } });
  });

  it('refuses a chunked body that grows past the cap, with 413', async () => {
    const { status } = await rawExchange((socket) => {
      socket.write(head(null));
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(status).toBe(413);
  });

  it('cuts off a client that sends half a body and stalls (slowloris) with 408', async () => {
    const { status } = await rawExchange((socket) => socket.write(`${head(100)}{"method":`));
    expect(status).toBe(408);
  });

  it('cuts off a client that trickles its headers', async () => {
    const { status } = await rawExchange((socket) => {
      socket.write('POST /rpc HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const timer = setInterval(() => (socket.writable ? socket.write('X-Slow: 1\r\n') : clearInterval(timer)), 50);
      socket.on('close', () => clearInterval(timer));
    });
    expect(status).toBe(408);
  });

  it('survives aborted uploads without an unhandled rejection, and keeps serving', async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(host.server.port, '127.0.0.1', () => {
          socket.write(`${head(1000)}{"method":"app.info",`);
          setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, 20);
        });
        socket.on('error', () => undefined);
      });
    }
    const { json } = await post(JSON.stringify({ method: 'app.info', params: {} }));
    expect(json).toMatchObject({ ok: true });
    expect(unhandled).toEqual([]);
    expect(host.logLines.filter((line) => / (ERROR|WARN) /.test(line))).toEqual([]);
  });
});
