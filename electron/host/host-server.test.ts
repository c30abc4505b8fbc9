import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { methodNames } from '../../shared/contract';
import type { ServerMessage } from '../../shared/wire';
import { silentLogger } from '../stack/log/logger';
import { startStack, type Stack } from '../stack/stack';
import { makeTempDir } from '../stack/testing/temp-dir';
import { startHostServer, type HostServer } from './host-server';

let stack: Stack;
let server: HostServer;
let dir: { path: string; remove: () => void };
let base: string;

beforeAll(async () => {
  dir = makeTempDir();
  const rendererDir = join(dir.path, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>panel</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir.path, 'secret.txt'), 'outside the renderer');
  stack = await startStack({ dataDir: join(dir.path, 'data'), role: 'test', log: silentLogger, monitorIntervalMs: 50 });
  server = await startHostServer({ dispatcher: stack.dispatcher, hub: stack.hub, rendererDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  dir?.remove();
});

/** Opens a WebSocket and collects every message; resolves once the hello arrived. */
async function connect(headers: Record<string, string>, query = ''): Promise<{ socket: WebSocket; messages: ServerMessage[]; next: (predicate: (m: ServerMessage) => boolean) => Promise<ServerMessage> }> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
  const messages: ServerMessage[] = [];
  const waiters: Array<{ predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage;
    const waiter = waiters.find((w) => w.predicate(message));
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    } else {
      messages.push(message);
    }
  });
  const next = (predicate: (m: ServerMessage) => boolean) =>
    new Promise<ServerMessage>((resolve) => {
      const seen = messages.find(predicate);
      if (seen) {
        messages.splice(messages.indexOf(seen), 1);
        resolve(seen);
      } else waiters.push({ predicate, resolve });
    });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  await next((m) => m.type === 'hello');
  return { socket, messages, next };
}

const origin = () => ({ origin: base });

describe('browser host: who may connect', () => {
  it('refuses a page request without a token (401) and with a wrong token (403)', async () => {
    const missing = await fetch(`${base}/`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const wrong = await fetch(`${base}/?token=not-the-token`, { redirect: 'manual' });
    expect(wrong.status).toBe(403);
  });

  it('trades the token for an HttpOnly session cookie and a clean URL', async () => {
    const first = await fetch(`${base}/?token=${server.token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('<title>panel</title>');
  });

  it('never serves files outside the renderer folder', async () => {
    const response = await fetch(`${base}/..%2Fsecret.txt`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(404);
  });

  it('refuses a foreign Origin and a foreign Host even with the right token', async () => {
    const foreign = await fetch(`${base}/`, { headers: { authorization: `Bearer ${server.token}`, origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    await expect(connect({ origin: 'http://evil.example', cookie: `bulkhead_${server.port}=${server.token}` })).rejects.toThrow('HTTP 403');
    await expect(connect({ host: 'attacker.example:80', authorization: `Bearer ${server.token}` })).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket with no token or a wrong one', async () => {
    await expect(connect(origin())).rejects.toThrow('HTTP 401');
    await expect(connect(origin(), '?token=wrong')).rejects.toThrow('HTTP 403');
  });
});

describe('browser host: calls over POST /rpc', () => {
  const rpc = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers }, body });

  it('answers a call with the dispatcher outcome, naming the transport http', async () => {
    const response = await rpc(JSON.stringify({ method: 'app.info', params: {} }));
    expect(await response.json()).toMatchObject({ ok: true, result: { name: 'Bulkhead', transport: 'http' } });
  });

  it('refuses missing tokens, foreign origins and non-JSON content types', async () => {
    const anonymous = await fetch(`${base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect((await rpc('{}', { origin: 'http://evil.example' })).status).toBe(403);
    const form = await rpc('method=app.info', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'BAD_MESSAGE' } });
  });

  it('answers broken JSON and invalid params with structured errors', async () => {
    expect(await (await rpc('{not json')).json()).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await (await rpc(JSON.stringify({ method: 'runtime.history', params: { limit: 'x' } }))).json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    });
  });
});

describe('browser host: the contract over WebSocket', () => {
  it('greets with exactly the contract method set', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { headers: origin() });
    const hello = await new Promise<ServerMessage>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage)));
    socket.close();
    expect(hello.type).toBe('hello');
    if (hello.type === 'hello') expect(hello.methods).toEqual(methodNames);
  });

  it('answers bad frames with structured errors and keeps serving', async () => {
    const { socket, next } = await connect(origin(), `?token=${server.token}`);
    try {
      socket.send('this is not json');
      expect(await next((m) => m.type === 'error')).toMatchObject({ error: { code: 'BAD_MESSAGE' } });

      socket.send(JSON.stringify({ type: 'subscribe', event: 'no.such.event' }));
      expect(await next((m) => m.type === 'error')).toMatchObject({ error: { code: 'UNKNOWN_EVENT', message: 'Unknown event "no.such.event".' } });

      socket.send(JSON.stringify({ type: 'subscribe', event: `x${'\u202e'.repeat(3)}${'y'.repeat(5000)}` }));
      const long = await next((m) => m.type === 'error');
      expect(long.type === 'error' && long.error.message.length).toBeLessThan(200);
      expect(long.type === 'error' && long.error.message).not.toMatch(/\u202e/);

      socket.send(JSON.stringify({ type: 'subscribe', event: 'runtime.sample' }));
      expect(await next((m) => m.type === 'event')).toMatchObject({ event: 'runtime.sample' });
    } finally {
      socket.close();
    }
  });

  it('carries no calls: a call frame is refused and pointed at POST /rpc', async () => {
    const { socket, next } = await connect(origin(), `?token=${server.token}`);
    try {
      socket.send(JSON.stringify({ type: 'call', id: 4, method: 'app.info', params: {} }));
      const refused = await next((m) => m.type === 'error');
      expect(refused).toMatchObject({ error: { code: 'BAD_MESSAGE', message: expect.stringContaining('POST /rpc') } });
    } finally {
      socket.close();
    }
  });

  it('pushes runtime samples to subscribers and stops after unsubscribe', async () => {
    const { socket, next, messages } = await connect(origin(), `?token=${server.token}`);
    try {
      socket.send(JSON.stringify({ type: 'subscribe', event: 'runtime.sample' }));
      const first = await next((m) => m.type === 'event');
      const second = await next((m) => m.type === 'event');
      expect(first).toMatchObject({ event: 'runtime.sample', payload: { heapUsedMb: expect.any(Number) } });
      if (first.type === 'event' && second.type === 'event') {
        expect((second.payload as { t: number }).t).toBeGreaterThan((first.payload as { t: number }).t);
      }
      socket.send(JSON.stringify({ type: 'unsubscribe', event: 'runtime.sample' }));
      // A bad frame after the unsubscribe is answered in order, so anything pushed later would be a leak.
      socket.send('not json');
      await next((m) => m.type === 'error');
      messages.length = 0;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(messages.filter((m) => m.type === 'event')).toEqual([]);
      expect(stack.hub.listenerCount('runtime.sample')).toBe(0);
    } finally {
      socket.close();
    }
  });
});
