import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../shared/contract';
import { connectClient, startEchoServer, waitFor } from './testing/tcp-fixtures';
import { silentLogger } from '../log/logger';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stackWithEcho(): Promise<{ stack: Stack; echoPort: number }> {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  const echo = await startEchoServer();
  cleanups.push(() => echo.close());
  const stack = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, monitorIntervalMs: 20 });
  cleanups.push(() => stack.stop());
  return { stack, echoPort: echo.port };
}

const ctx = { transport: 'in-process' } as const;

describe('chaos.* handlers through the dispatcher', () => {
  it('creates a proxy, adds and removes toxics, takes it down and up, and publishes snapshots', async () => {
    const { stack, echoPort } = await stackWithEcho();
    const events: PayloadOf<'chaos.proxies'>[] = [];
    stack.hub.subscribe('chaos.proxies', (payload) => events.push(payload));

    const created = await stack.dispatcher.dispatch('chaos.proxies.create', { name: 'echo', upstream: `127.0.0.1:${echoPort}`, purpose: 'test echo' }, ctx);
    expect(created.ok).toBe(true);
    const port = Number((created.ok ? (created.result as { listen: string }).listen : '').split(':')[1]);
    const client = await connectClient(port);
    client.send('hi');
    await waitFor(() => client.received().toString() === 'hi', 'echo through the stack proxy');

    const added = await stack.dispatcher.dispatch('chaos.toxics.add', { proxy: 'echo', toxic: { type: 'latency', attributes: { latency: 50, jitter: 5 } } }, ctx);
    expect(added).toMatchObject({ ok: true, result: { toxics: [{ name: 'latency_downstream', type: 'latency' }] } });
    await waitFor(() => events.some((e) => e.proxies[0]?.toxics.length === 1 && e.proxies[0].connections.open === 1), 'a pushed snapshot with the toxic');

    expect(await stack.dispatcher.dispatch('chaos.proxies.setEnabled', { name: 'echo', enabled: false }, ctx)).toMatchObject({ ok: true, result: { enabled: false } });
    await client.closed;
    expect(await stack.dispatcher.dispatch('chaos.proxies.reset', {}, ctx)).toMatchObject({ ok: true, result: [{ enabled: true, toxics: [] }] });
    expect(await stack.dispatcher.dispatch('chaos.proxies.delete', { name: 'echo' }, ctx)).toEqual({ ok: true, result: { deleted: true } });
    await waitFor(() => events.at(-1)?.proxies.length === 0, 'one empty list after the last proxy went');
  });

  it('names the bad field of a toxic and answers unknown proxies with a remedy', async () => {
    const { stack } = await stackWithEcho();
    const bad = await stack.dispatcher.dispatch('chaos.toxics.add', { proxy: 'x', toxic: { type: 'bandwidth', attributes: { rate: 0 } } }, ctx);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('INVALID_PARAMS');
      expect(bad.error.issues?.map((i) => i.path)).toContain('toxic.attributes.rate');
    }
    const badAddress = await stack.dispatcher.dispatch('chaos.proxies.create', { name: 'p', upstream: 'localhost' }, ctx);
    expect(badAddress.ok ? null : badAddress.error.issues?.[0]?.path).toBe('upstream');
    const missing = await stack.dispatcher.dispatch('chaos.toxics.remove', { proxy: 'nope', name: 'latency_downstream' }, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'PROXY_NOT_FOUND' } });
  });
});
