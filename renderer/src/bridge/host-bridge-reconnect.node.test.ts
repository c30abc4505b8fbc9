import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';
import { HostBridge, type ConnectionState } from './host-bridge';

/**
 * The host bridge against a real WebSocket server (the `ws` package the host uses), with happy-dom's
 * WebSocket as the browser's: what the panel does when the connection drops or Bulkhead restarts.
 */
interface TestServer {
  port: number;
  /** Every connection so far, with the frames it sent. */
  connections: Array<{ socket: ServerSocket; frames: unknown[] }>;
  close(): Promise<void>;
}

async function startServer(port = 0): Promise<TestServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await once(wss, 'listening');
  const server: TestServer = {
    port: (wss.address() as AddressInfo).port,
    connections: [],
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  wss.on('connection', (socket) => {
    const entry = { socket, frames: [] as unknown[] };
    server.connections.push(entry);
    socket.on('message', (data) => entry.frames.push(JSON.parse(String(data))));
  });
  return server;
}

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

function bridgeTo(server: TestServer): { bridge: HostBridge; states: ConnectionState[] } {
  const bridge = new HostBridge({ origin: `http://127.0.0.1:${server.port}`, credential: 'test-credential' });
  cleanups.push(() => bridge.close());
  const states: ConnectionState[] = [];
  bridge.onConnectionState((state) => states.push(state));
  return { bridge, states };
}

const subscribed = (frames: unknown[], event: string): boolean => frames.some((f) => JSON.stringify(f) === JSON.stringify({ type: 'subscribe', event }));
const push = (socket: ServerSocket, payload: object): void => socket.send(JSON.stringify({ type: 'event', event: 'stress.progress', payload }));

describe('HostBridge reconnect (real ws server)', () => {
  it('after a dropped connection: reconnecting, then open again with every subscription renewed', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const { bridge, states } = bridgeTo(server);
    const seen: unknown[] = [];
    bridge.subscribe('stress.progress', (payload) => seen.push(payload));
    bridge.subscribe('pool.snapshot', () => undefined);

    await until(() => server.connections.length === 1 && subscribed(server.connections[0]!.frames, 'stress.progress'), 'the first subscribe');
    push(server.connections[0]!.socket, { runId: 'before' });
    await until(() => seen.length === 1, 'the first event');

    server.connections[0]!.socket.terminate();
    await until(() => states.includes('reconnecting'), 'reconnecting');
    await until(() => server.connections.length === 2 && subscribed(server.connections[1]!.frames, 'stress.progress') && subscribed(server.connections[1]!.frames, 'pool.snapshot'), 'the renewed subscriptions');
    push(server.connections[1]!.socket, { runId: 'after' });
    await until(() => seen.length === 2, 'the event after the reconnect');

    expect(seen).toEqual([{ runId: 'before' }, { runId: 'after' }]);
    expect(states).toEqual(['open', 'reconnecting', 'open']);
    expect(bridge.connectionState).toBe('open');
  });

  it('keeps retrying while Bulkhead is down and resubscribes when it is back on the same port', async () => {
    const first = await startServer();
    const { bridge, states } = bridgeTo(first);
    bridge.subscribe('stress.progress', () => undefined);
    await until(() => first.connections.length === 1 && subscribed(first.connections[0]!.frames, 'stress.progress'), 'the first subscribe');

    await first.close();
    await until(() => states.includes('reconnecting'), 'reconnecting');
    // Several attempts fail while nothing listens; the bridge stays in 'reconnecting'.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(bridge.connectionState).toBe('reconnecting');

    const second = await startServer(first.port);
    cleanups.push(() => second.close());
    await until(() => second.connections.length >= 1 && subscribed(second.connections.at(-1)!.frames, 'stress.progress'), 'the subscription on the restarted server');
    await until(() => bridge.connectionState === 'open', 'open');
    expect(states.at(-1)).toBe('open');
  });

  it('sends unsubscribe when the last listener of an event goes, and stops reconnecting once closed', async () => {
    const server = await startServer();
    cleanups.push(() => server.close());
    const { bridge, states } = bridgeTo(server);
    const off = bridge.subscribe('stress.progress', () => undefined);
    const offToo = bridge.subscribe('stress.progress', () => undefined);
    await until(() => server.connections.length === 1 && subscribed(server.connections[0]!.frames, 'stress.progress'), 'subscribe');
    off();
    offToo();
    await until(() => server.connections[0]!.frames.some((f) => JSON.stringify(f) === JSON.stringify({ type: 'unsubscribe', event: 'stress.progress' })), 'unsubscribe');
    expect(server.connections[0]!.frames.filter((f) => (f as { type: string }).type === 'subscribe')).toHaveLength(1);

    bridge.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.connections).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });
});
