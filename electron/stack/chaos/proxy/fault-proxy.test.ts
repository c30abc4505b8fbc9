import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToxicInput } from '../../../../shared/contract/chaos';
import { ManualClock } from '../../clock/manual-clock';
import { connectClient, settleIo, startEchoServer, waitFor, type EchoServer } from '../testing/tcp-fixtures';
import { FaultProxy } from './fault-proxy';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { clock?: ManualClock; random?: () => number; toxics?: ToxicInput[] } = {}): Promise<{ echo: EchoServer; proxy: FaultProxy }> {
  const echo = await startEchoServer();
  cleanups.push(() => echo.close());
  const proxy = await FaultProxy.start({ name: 'test', upstream: { host: '127.0.0.1', port: echo.port }, ...options });
  cleanups.push(() => proxy.stop());
  return { echo, proxy };
}

const bytes = (n: number, fill = 0x61): Buffer => Buffer.alloc(n, fill);

describe('FaultProxy without toxics', () => {
  it('passes bytes both ways unchanged and counts them exactly', async () => {
    const { echo, proxy } = await setup();
    const client = await connectClient(proxy.port);
    const payload = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    client.send(payload);
    await waitFor(() => client.received().length === payload.length, 'echo through the proxy');
    expect(client.received().equals(payload)).toBe(true);
    const snap = proxy.snapshot();
    expect(snap.bytes.upstream).toEqual({ received: 100_000, forwarded: 100_000, dropped: 0 });
    expect(snap.bytes.downstream).toEqual({ received: 100_000, forwarded: 100_000, dropped: 0 });
    expect(snap.connections).toMatchObject({ open: 1, accepted: 1 });
    expect(echo.open()).toBe(1);

    client.socket.end();
    await client.closed;
    await waitFor(() => proxy.openConnections === 0 && echo.open() === 0, 'both sides closed');
    expect(client.state()).toBe('end');
  });

  it('closes the client when the upstream cannot be reached, and says why', async () => {
    const echo = await startEchoServer();
    const deadPort = echo.port;
    await echo.close();
    const proxy = await FaultProxy.start({ name: 'dead', upstream: { host: '127.0.0.1', port: deadPort } });
    cleanups.push(() => proxy.stop());
    const client = await connectClient(proxy.port);
    await client.closed;
    const snap = proxy.snapshot();
    expect(snap.connections.upstreamFailures).toBe(1);
    expect(snap.lastError).toContain('ECONNREFUSED');
    expect(snap.connections.open).toBe(0);
  });
});

describe('toxics (timing on a manual clock, bytes on real sockets)', () => {
  it('latency holds each chunk until latency after it arrived', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock, toxics: [{ type: 'latency', attributes: { latency: 1000 } }] });
    const client = await connectClient(proxy.port);
    client.send('ping');
    await waitFor(() => proxy.snapshot().bytes.downstream.received === 4, 'the echo back at the proxy');
    await settleIo();
    expect(client.received().length).toBe(0);
    clock.advance(999);
    await settleIo();
    expect(client.received().length).toBe(0);
    clock.advance(1);
    await waitFor(() => client.received().toString() === 'ping', 'the delayed echo');
  });

  it('jitter moves the delay by up to ± jitter (random 0 → latency − jitter), upstream only', async () => {
    const clock = new ManualClock();
    const { echo, proxy } = await setup({ clock, random: () => 0, toxics: [{ type: 'latency', stream: 'upstream', attributes: { latency: 100, jitter: 50 } }] });
    const client = await connectClient(proxy.port);
    client.send('abc');
    await waitFor(() => proxy.snapshot().bytes.upstream.received === 3, 'bytes at the proxy');
    clock.advance(49);
    await settleIo();
    expect(echo.received()).toBe(0);
    clock.advance(1);
    await waitFor(() => echo.received() === 3, 'bytes at the server after 50 ms');
    // downstream has no toxic: the echo comes straight back
    await waitFor(() => client.received().toString() === 'abc', 'the echo');
  });

  it('bandwidth lets through no more than rate × time, in 100 ms slices', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock, toxics: [{ type: 'bandwidth', attributes: { rate: 10 } }] }); // 10 KB/s = 1000 B per 100 ms
    const client = await connectClient(proxy.port);
    client.send(bytes(5000));
    await waitFor(() => proxy.snapshot().bytes.downstream.received === 5000, 'the echo back at the proxy');
    await settleIo();
    expect(client.received().length).toBe(0);
    let steps = 0;
    while (client.received().length < 5000) {
      expect(steps).toBeLessThan(200);
      clock.advance(100);
      steps++;
      await settleIo(10);
      expect(client.received().length).toBeLessThanOrEqual(steps * 1000);
    }
    expect(steps).toBeGreaterThanOrEqual(5);
  });

  it('timeout 0 is a blackhole: bytes vanish, the connection hangs, removing the toxic closes it', async () => {
    const { echo, proxy } = await setup({ toxics: [{ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } }] });
    const client = await connectClient(proxy.port);
    client.send(bytes(300));
    await waitFor(() => proxy.snapshot().bytes.upstream.dropped === 300, 'bytes swallowed');
    expect(echo.received()).toBe(0);
    expect(client.state()).toBe('open');
    proxy.removeToxic('timeout_upstream');
    await client.closed;
    expect(client.state()).toBe('end');
    expect(proxy.snapshot().connections.cutByToxics).toBe(1);
  });

  it('timeout N closes the connection N ms after the toxic started acting', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock });
    const client = await connectClient(proxy.port);
    await waitFor(() => proxy.openConnections === 1, 'the connection');
    proxy.addToxic({ type: 'timeout', attributes: { timeout: 500 } });
    clock.advance(499);
    await settleIo();
    expect(client.state()).toBe('open');
    clock.advance(1);
    await client.closed;
    expect(client.state()).toBe('end');
  });

  it('reset_peer resets the connection (ECONNRESET) after its timeout from the first data', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock, toxics: [{ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 200 } }] });
    const client = await connectClient(proxy.port);
    clock.advance(1000); // no data yet: nothing happens
    await settleIo();
    expect(client.state()).toBe('open');
    client.send('x');
    await waitFor(() => proxy.snapshot().bytes.upstream.dropped === 1, 'the first byte at the toxic');
    clock.advance(200);
    await client.closed;
    expect(client.state()).toBe('reset');
  });

  it('slow_close holds the FIN for its delay', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock, toxics: [{ type: 'slow_close', attributes: { delay: 1000 } }] });
    const client = await connectClient(proxy.port);
    client.send('bye');
    await waitFor(() => client.received().length === 3, 'the echo');
    client.socket.end();
    await waitFor(() => proxy.snapshot().bytes.downstream.received === 3 && proxy.openConnections === 1, 'server side closing');
    await settleIo(20);
    expect(client.state()).toBe('open');
    clock.advance(1000);
    await client.closed;
    expect(client.state()).toBe('end');
  });

  it('limit_data passes exactly that many bytes, then closes', async () => {
    const { proxy } = await setup({ toxics: [{ type: 'limit_data', attributes: { bytes: 10 } }] });
    const client = await connectClient(proxy.port);
    client.send(bytes(100));
    await client.closed;
    expect(client.received().length).toBe(10);
    expect(client.state()).toBe('end');
    const snap = proxy.snapshot();
    expect(snap.bytes.downstream.forwarded).toBe(10);
    expect(snap.connections.cutByToxics).toBe(1);
  });

  it('slicer cuts a chunk into slices with a delay between them', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock, toxics: [{ type: 'slicer', attributes: { average_size: 10, delay: 1000 } }] });
    const client = await connectClient(proxy.port);
    client.send(bytes(35));
    await waitFor(() => client.received().length === 10, 'the first slice');
    clock.advance(1);
    await waitFor(() => client.received().length === 20, 'the second slice');
    clock.advance(1);
    await waitFor(() => client.received().length === 30, 'the third slice');
    clock.advance(1);
    await waitFor(() => client.received().length === 35, 'the rest');
  });

  it('toxicity decides per connection whether a toxic applies', async () => {
    const clock = new ManualClock();
    const rolls = [0.3, 0.7];
    const { proxy } = await setup({ clock, random: () => rolls.shift() ?? 0.99 });
    proxy.addToxic({ type: 'latency', toxicity: 0.5, attributes: { latency: 10_000 } });
    const slow = await connectClient(proxy.port); // rolls 0.3 < 0.5: poisoned
    const fast = await connectClient(proxy.port); // rolls 0.7: spared
    slow.send('a');
    fast.send('b');
    await waitFor(() => fast.received().toString() === 'b', 'the spared connection');
    expect(slow.received().length).toBe(0);
    expect(proxy.snapshot().openConnections.map((c) => c.toxics.length).sort()).toEqual([0, 1]);
    clock.advance(10_000);
    await waitFor(() => slow.received().toString() === 'a', 'the poisoned connection');
  });

  it('applies a toxic added to an open connection, and stops when it is removed mid-delay', async () => {
    const clock = new ManualClock();
    const { proxy } = await setup({ clock });
    const client = await connectClient(proxy.port);
    await waitFor(() => proxy.openConnections === 1, 'the connection');
    proxy.addToxic({ type: 'latency', name: 'slow', attributes: { latency: 60_000 } });
    client.send('held');
    await waitFor(() => proxy.snapshot().bytes.downstream.received === 4, 'the echo at the proxy');
    await settleIo();
    expect(client.received().length).toBe(0);
    proxy.removeToxic('slow'); // interrupted: the held chunk goes on, not lost
    await waitFor(() => client.received().toString() === 'held', 'the released chunk');
  });
});

describe('down, stop and validation', () => {
  it('down refuses new connections and cuts open ones; up listens on the same port again', async () => {
    const { echo, proxy } = await setup();
    const client = await connectClient(proxy.port);
    await waitFor(() => echo.open() === 1, 'upstream connection');
    const port = proxy.port;
    await proxy.setEnabled(false);
    await client.closed;
    expect(proxy.snapshot()).toMatchObject({ enabled: false, connections: { open: 0, cutByDown: 1 } });
    await waitFor(() => echo.open() === 0, 'upstream side closed too');
    const refused = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve('connected')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    await proxy.setEnabled(true);
    expect(proxy.port).toBe(port);
    const again = await connectClient(port);
    again.send('up');
    await waitFor(() => again.received().toString() === 'up', 'echo after up');
  });

  it('stop closes every socket and leaves no timer behind; an AbortSignal stops it too', async () => {
    const clock = new ManualClock();
    const echo = await startEchoServer();
    cleanups.push(() => echo.close());
    const controller = new AbortController();
    const proxy = await FaultProxy.start({
      name: 'stopping',
      upstream: { host: '127.0.0.1', port: echo.port },
      clock,
      signal: controller.signal,
      toxics: [
        { type: 'latency', attributes: { latency: 5000 } },
        { type: 'timeout', stream: 'upstream', attributes: { timeout: 60_000 } },
      ],
    });
    const clients = await Promise.all([connectClient(proxy.port), connectClient(proxy.port), connectClient(proxy.port)]);
    for (const client of clients) client.send('x');
    await waitFor(() => proxy.openConnections === 3 && clock.pendingTimers >= 3, 'connections with pending toxic timers');
    controller.abort();
    await Promise.all(clients.map((c) => c.closed));
    await waitFor(() => proxy.openConnections === 0 && echo.open() === 0, 'all sockets closed');
    expect(clock.pendingTimers).toBe(0);
    expect(proxy.enabled).toBe(false);
  });

  it('names the bad field of an invalid toxic, and refuses duplicates and unknown names', async () => {
    const { proxy } = await setup();
    expect(() => proxy.addToxic({ type: 'latency', attributes: { latency: -5 } })).toThrow(/attributes\.latency/);
    expect(() => proxy.addToxic({ type: 'latency', toxicity: 2, attributes: { latency: 5 } })).toThrow(/toxicity/);
    proxy.addToxic({ type: 'latency', attributes: { latency: 5 } });
    expect(() => proxy.addToxic({ type: 'latency', attributes: { latency: 9 } })).toThrow(expect.objectContaining({ code: 'TOXIC_EXISTS' }));
    expect(() => proxy.removeToxic('nope')).toThrow(expect.objectContaining({ code: 'TOXIC_NOT_FOUND' }));
    expect(proxy.snapshot().toxics).toEqual([{ name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 5, jitter: 0 } }]);
  });
});

describe('FaultProxy in front of the provider simulator (HTTP)', () => {
  it('carries real HTTP calls; latency delays them, reset_peer fails them, removal heals', async () => {
    const { startSimulator } = await import('../../providers/simulator/simulator');
    const sim = await startSimulator({ port: 0 });
    cleanups.push(() => sim.stop());
    const proxy = await FaultProxy.start({ name: 'provider', upstream: { host: '127.0.0.1', port: sim.port } });
    cleanups.push(() => proxy.stop());
    const call = async () => {
      const response = await fetch(`http://127.0.0.1:${proxy.port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
        body: JSON.stringify({ model: 'gpt-4o-mini', max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.text();
      return response.status;
    };
    expect(await call()).toBe(200);
    proxy.addToxic({ type: 'latency', attributes: { latency: 250 } });
    const started = performance.now();
    expect(await call()).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    proxy.removeToxic('latency_downstream');
    proxy.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    await expect(call()).rejects.toThrow();
    proxy.removeToxic('reset_peer_upstream');
    expect(await call()).toBe(200);
    expect(proxy.snapshot().connections.cutByToxics).toBeGreaterThanOrEqual(1);
  });
});
