import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { HostBridge, type ConnectionState } from './host-bridge';

/**
 * How the host bridge carries this tab's session credential, against a real HTTP + WebSocket server:
 * as a header on calls, as a subprotocol on the socket, and what happens once the host refuses it.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A host that accepts `accepted` only: calls get 200 or 401, handshakes open or are refused. */
async function startHost(accepted: string): Promise<{ origin: string; rpcHeaders: IncomingHttpHeaders[]; handshakes: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const rpcHeaders: IncomingHttpHeaders[] = [];
  const handshakes: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    // happy-dom's fetch runs from its own page origin, so it asks first (CORS); the real panel is same-origin.
    const cors = { 'access-control-allow-origin': String(request.headers.origin ?? '*'), 'access-control-allow-headers': 'authorization, content-type' };
    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors);
      response.end();
      return;
    }
    rpcHeaders.push(request.headers);
    request.resume();
    const ok = request.headers.authorization === `Bearer ${accepted}`;
    response.writeHead(ok ? 200 : 401, { ...cors, 'content-type': 'application/json' });
    response.end(JSON.stringify(ok ? { ok: true, result: { name: 'Bulkhead' } } : { ok: false, error: { code: 'UNAUTHORIZED', message: 'no session' } }));
  });
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has('bulkhead.v1') ? 'bulkhead.v1' : false) });
  server.on('upgrade', (request, socket, head) => {
    handshakes.push(request.headers);
    if (!String(request.headers['sec-websocket-protocol'] ?? '').includes(`bulkhead.v1.credential.${accepted}`)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rpcHeaders,
    handshakes,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function bridgeTo(origin: string, credential: string): { bridge: HostBridge; states: ConnectionState[]; signedOut: () => number } {
  let signedOut = 0;
  const bridge = new HostBridge({ origin, credential, onSignedOut: () => void (signedOut += 1) });
  cleanups.push(() => bridge.close());
  const states: ConnectionState[] = [];
  bridge.onConnectionState((state) => states.push(state));
  return { bridge, states, signedOut: () => signedOut };
}

describe('HostBridge session credential', () => {
  it('sends the credential as a Bearer header on calls and as a subprotocol on the socket, never as a cookie', async () => {
    const host = await startHost('good');
    cleanups.push(() => host.close());
    const { bridge } = bridgeTo(host.origin, 'good');
    await until(() => bridge.connectionState === 'open', 'open');
    await bridge.call('app.info', {});
    expect(host.rpcHeaders.at(-1)).toMatchObject({ authorization: 'Bearer good' });
    expect(host.rpcHeaders.at(-1)?.cookie).toBeUndefined();
    expect(String(host.handshakes[0]?.['sec-websocket-protocol']).split(',').map((p) => p.trim())).toEqual(['bulkhead.v1', 'bulkhead.v1.credential.good']);
  });

  it('signs out once the host refuses the credential, and stops reconnecting', async () => {
    const host = await startHost('good');
    cleanups.push(() => host.close());
    const { bridge, states, signedOut } = bridgeTo(host.origin, 'stale');
    await until(() => bridge.connectionState === 'signed-out', 'signed-out');
    expect(signedOut()).toBe(1);
    const handshakes = host.handshakes.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(host.handshakes.length).toBe(handshakes);
    expect(states.at(-1)).toBe('signed-out');
    await expect(bridge.call('app.info', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(signedOut()).toBe(1);
  });
});
