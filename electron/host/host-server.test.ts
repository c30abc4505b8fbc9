/**
 * The browser host over real HTTP and WebSocket connections: who may reach it, how a launch code
 * becomes a session, and the contract's two paths (calls over POST /rpc, events over the socket).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../shared/contract';
import { LAUNCH_LINK_PATH, WS_PROTOCOL } from '../../shared/host-protocol';
import { ManualClock } from '../stack/clock/manual-clock';
import { codeOf, connectEvents, openSession, rawRequest, startTestHost, tradeCode, type TestHost } from './testing/host-fixture';

let host: TestHost;
let credential: string;

beforeAll(async () => {
  host = await startTestHost();
  credential = await openSession(host);
});
afterAll(() => host?.stop());

const rpc = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${host.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, ...headers }, body });
const appInfo = JSON.stringify({ method: 'app.info', params: {} });

describe('browser host: the panel files', () => {
  it('serves the page without a credential (it holds no data), with the CSP, and sets no cookie', async () => {
    const page = await fetch(`${host.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(await page.text()).toContain('<title>panel</title>');
  });

  it('has no cookie or query-token path left: ?token= is ignored and grants nothing', async () => {
    const withQuery = await fetch(`${host.base}/?token=${host.server.secret}`, { redirect: 'manual' });
    expect(withQuery.status).toBe(200);
    expect(withQuery.headers.get('set-cookie')).toBeNull();
    const viaCookie = await fetch(`${host.base}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `bulkhead_${host.server.port}=${host.server.secret}; session=${credential}` },
      body: appInfo,
    });
    expect(viaCookie.status).toBe(401);
    const viaQuery = await fetch(`${host.base}/rpc?token=${host.server.secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: appInfo });
    expect(viaQuery.status).toBe(401);
  });

  it('never serves files outside the renderer folder', async () => {
    expect((await fetch(`${host.base}/..%2Fsecret.txt`)).status).toBe(404);
  });
});

describe('browser host: launch codes and sessions', () => {
  it('trades a launch code for a session credential exactly once', async () => {
    const code = codeOf(host.server.launchLink().url);
    const first = await tradeCode(host.base, code);
    expect(first.status).toBe(200);
    const second = await tradeCode(host.base, code);
    expect(second.status).toBe(410);
    expect(second.reply).toMatchObject({ ok: false, error: { code: 'LAUNCH_CODE_USED', message: expect.stringContaining('already used') } });
    const made = await tradeCode(host.base, 'made-up-code');
    expect(made).toMatchObject({ status: 403, reply: { error: { code: 'LAUNCH_CODE_UNKNOWN' } } });
  });

  it('puts the code in the fragment, so it never reaches a server log or a Referer', () => {
    const link = new URL(host.server.launchLink('stress').url);
    expect(link.search).toBe('');
    expect(link.hash).toMatch(/^#\/stress\?code=[\w-]{20,}$/);
  });

  it('lets a code expire unused', async () => {
    const clock = new ManualClock();
    const short = await startTestHost({ clock, launchCodeTtlMs: 60_000 });
    try {
      const code = codeOf(short.server.launchLink().url);
      clock.advance(60_001);
      const late = await tradeCode(short.base, code);
      expect(late).toMatchObject({ status: 410, reply: { error: { code: 'LAUNCH_CODE_EXPIRED', message: expect.stringContaining('1 minutes') } } });
    } finally {
      await short.stop();
    }
  });

  it('refuses the exchange from another origin, a sandboxed page (Origin null) or a rebound Host name', async () => {
    const code = codeOf(host.server.launchLink().url);
    expect((await tradeCode(host.base, code, { origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await tradeCode(host.base, code, { origin: 'null' })).status).toBe(403);
    const rebound = await rawRequest(host, { path: '/session', headers: { host: 'evil.com', 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(rebound.status).toBe(403);
    // None of those used the code up.
    expect((await tradeCode(host.base, code)).status).toBe(200);
  });

  it('hands launch links only to a local client with the host secret, never to a page or a session', async () => {
    const ask = (headers: Record<string, string>) => fetch(`${host.base}${LAUNCH_LINK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    const granted = await ask({ authorization: `Bearer ${host.server.secret}` });
    expect(await granted.json()).toMatchObject({ ok: true, result: { url: expect.stringContaining(`${host.base}/#code=`), expiresAt: expect.any(Number) } });
    expect((await ask({ authorization: `Bearer ${host.server.secret}`, origin: host.base })).status).toBe(403);
    expect((await ask({ authorization: `Bearer ${credential}` })).status).toBe(403);
    expect((await ask({})).status).toBe(401);
  });

  it('logs what it refuses, never the secrets involved', async () => {
    await tradeCode(host.base, 'replayed-code-123');
    await rpc(appInfo, { authorization: 'Bearer wrong-credential-456' });
    await rpc(appInfo, { origin: 'http://evil.example' });
    const log = host.logLines.join('\n');
    expect(log).toMatch(/refused: a launch code that is not known here/);
    expect(log).toMatch(/refused: POST \/rpc: The session is not valid here/);
    expect(log).toMatch(/refused: POST \/rpc: Requests from origin "http:\/\/evil.example" are refused/);
    for (const secret of [host.server.secret, credential, 'replayed-code-123', 'wrong-credential-456']) expect(log).not.toContain(secret);
  });
});

describe('browser host: calls over POST /rpc', () => {
  it('answers a call with the dispatcher outcome, naming the transport http', async () => {
    expect(await (await rpc(appInfo)).json()).toMatchObject({ ok: true, result: { name: 'Bulkhead', transport: 'http' } });
    // A local client holding the host secret may call too (the future "hand a run to the panel").
    expect(await (await rpc(appInfo, { authorization: `Bearer ${host.server.secret}` })).json()).toMatchObject({ ok: true });
  });

  it('refuses missing and wrong credentials, foreign origins and hosts, and non-JSON content types', async () => {
    const anonymous = await fetch(`${host.base}/rpc`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: appInfo });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', remedy: expect.stringContaining('bulkhead open') } });
    expect((await rpc(appInfo, { authorization: 'Bearer nope' })).status).toBe(403);
    expect((await rpc(appInfo, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await rpc(appInfo, { origin: 'null' })).status).toBe(403);
    for (const forged of ['evil.com', `localhost.evil.com:${host.server.port}`, `127.0.0.1:${host.server.port + 1}`]) {
      const rebound = await rawRequest(host, { path: '/rpc', headers: { host: forged, 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body: appInfo });
      expect(rebound.status, forged).toBe(403);
    }
    const form = await rpc('method=app.info', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
  });

  it('answers other methods with a 405 that says where things are', async () => {
    const put = await fetch(`${host.base}/rpc`, { method: 'PUT', headers: { authorization: `Bearer ${credential}` } });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('calls are POST /rpc, events come over the WebSocket at /ws') } });
  });

  it('answers broken JSON and invalid params with structured errors', async () => {
    expect(await (await rpc('{not json')).json()).toMatchObject({ ok: false, error: { code: 'BAD_MESSAGE' } });
    expect(await (await rpc(JSON.stringify({ method: 'runtime.history', params: { limit: 'x' } }))).json()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    });
  });
});

describe('browser host: events over the WebSocket', () => {
  it('refuses a handshake without a credential, with a wrong one, or from a foreign or null origin', async () => {
    await expect(connectEvents(host)).rejects.toThrow('HTTP 401');
    await expect(connectEvents(host, { credential: 'wrong' })).rejects.toThrow('HTTP 403');
    await expect(connectEvents(host, { credential, headers: { origin: 'http://evil.example' } })).rejects.toThrow('HTTP 403');
    await expect(connectEvents(host, { credential, headers: { origin: 'null' } })).rejects.toThrow('HTTP 403');
    await expect(connectEvents(host, { credential, headers: { host: 'evil.com' } })).rejects.toThrow('HTTP 403');
  });

  it('accepts the credential as a subprotocol and answers with the real protocol only', async () => {
    const { socket } = await connectEvents(host, { credential });
    try {
      expect(socket.protocol).toBe(WS_PROTOCOL);
    } finally {
      socket.close();
    }
  });

  it('greets with exactly the contract method set', async () => {
    const { socket, hello } = await connectEvents(host, { credential });
    socket.close();
    expect(hello).toMatchObject({ type: 'hello', methods: methodNames });
  });

  it('answers bad frames with structured errors and keeps serving', async () => {
    const { socket, next } = await connectEvents(host, { credential });
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
    const { socket, next } = await connectEvents(host, { credential });
    try {
      socket.send(JSON.stringify({ type: 'call', id: 4, method: 'app.info', params: {} }));
      expect(await next((m) => m.type === 'error')).toMatchObject({ error: { code: 'BAD_MESSAGE', message: expect.stringContaining('POST /rpc') } });
    } finally {
      socket.close();
    }
  });

  it('pushes runtime samples to subscribers and stops after unsubscribe', async () => {
    const { socket, next, messages } = await connectEvents(host, { credential });
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
      expect(host.stack.hub.listenerCount('runtime.sample')).toBe(0);
    } finally {
      socket.close();
    }
  });
});
