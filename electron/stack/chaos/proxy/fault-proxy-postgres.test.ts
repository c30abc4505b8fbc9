import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { useTestDatabase } from '../../db/testing/test-database';
import { settleIo, waitFor } from '../testing/tcp-fixtures';
import { FaultProxy } from './fault-proxy';

/** Each toxic measured through a real PostgreSQL connection (the shared embedded server, or TEST_DATABASE_URL). */
const db = useTestDatabase('chaos_proxy');
const APP = 'bulkhead-chaos-proxy-test';
const cleanups: Array<() => Promise<unknown>> = [];

/** The database server, or a proxy in front of it (`via`), as pg client settings. */
const server = {
  get host(): string {
    return new URL(db.url).hostname;
  },
  get port(): number {
    return Number(new URL(db.url).port || 5432);
  },
  clientConfig(via?: { host: string; port: number }): pg.ClientConfig {
    // Spelled out: pg lets a connectionString win over host/port, which would bypass the proxy.
    const url = new URL(db.url);
    return {
      host: via?.host ?? url.hostname,
      port: via?.port ?? Number(url.port || 5432),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)),
    };
  },
};

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function proxy(options: { clock?: ManualClock } = {}): Promise<FaultProxy> {
  const started = await FaultProxy.start({ name: 'pg', purpose: 'RAG database', upstream: { host: server.host, port: server.port }, ...options });
  cleanups.push(() => started.stop());
  return started;
}

async function clientThrough(p: FaultProxy, extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...server.clientConfig({ host: '127.0.0.1', port: p.port }), application_name: APP, ...extra });
  client.on('error', () => undefined); // a cut connection reports here too; the tests read the query errors
  cleanups.push(() => client.end());
  await client.connect();
  return client;
}

async function ourServerConnections(): Promise<number> {
  const direct = new pg.Client(server.clientConfig());
  await direct.connect();
  try {
    const result = await direct.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [APP]);
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await direct.end();
  }
}

describe('fault proxy in front of PostgreSQL', () => {
  it('passes a session unchanged, and latency 300 ms makes a round trip take at least 300 ms', async () => {
    const p = await proxy();
    const client = await clientThrough(p);
    expect((await client.query<{ v: number }>('SELECT 41 + 1 AS v')).rows[0]?.v).toBe(42);
    p.addToxic({ type: 'latency', attributes: { latency: 300 } });
    const started = performance.now();
    await client.query('SELECT 1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(295); // timer granularity, never less than the toxic
    expect(p.snapshot().bytes.downstream.forwarded).toBeGreaterThan(0);
  });

  it('bandwidth 10 KB/s needs at least 19 × 100 ms of clock for a 20 KB result', async () => {
    const clock = new ManualClock();
    const p = await proxy({ clock });
    const client = await clientThrough(p);
    p.addToxic({ type: 'bandwidth', attributes: { rate: 10 } });
    let done = false;
    const query = client.query<{ s: string }>("SELECT repeat('x', 20000) AS s").then((r) => ((done = true), r));
    let steps = 0;
    while (!done) {
      expect(steps).toBeLessThan(400);
      clock.advance(100);
      steps++;
      await settleIo(10);
      await new Promise((resolve) => setTimeout(resolve, 1)); // let loopback bytes arrive
    }
    expect((await query).rows[0]?.s.length).toBe(20_000);
    expect(steps).toBeGreaterThanOrEqual(19);
  });

  it('timeout 0 (blackhole) hangs a query until the client gives up; removing it closes the connection', async () => {
    const p = await proxy();
    const client = await clientThrough(p, { query_timeout: 300 });
    p.addToxic({ type: 'timeout', stream: 'upstream', attributes: { timeout: 0 } });
    await expect(client.query('SELECT 1')).rejects.toThrow(/timeout/i);
    expect(p.snapshot().bytes.upstream.dropped).toBeGreaterThan(0);
    p.removeToxic('timeout_upstream');
    await waitFor(() => p.openConnections === 0, 'the broken connection closed');
    await waitFor(() => p.snapshot().connections.cutByToxics === 1, 'counted as cut by a toxic');
  });

  it('reset_peer turns the next query into a connection reset', async () => {
    const p = await proxy();
    const client = await clientThrough(p);
    p.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    await expect(client.query('SELECT 1')).rejects.toThrow(/ECONNRESET|terminated|reset/i);
  });

  it('limit_data cuts the session during startup: the connect fails, nothing leaks', async () => {
    const p = await proxy();
    p.addToxic({ type: 'limit_data', attributes: { bytes: 8 } });
    const client = new pg.Client({ ...server.clientConfig({ host: '127.0.0.1', port: p.port }), application_name: APP });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow();
    await waitFor(() => p.openConnections === 0, 'proxy connection gone');
    expect(p.snapshot().bytes.downstream.forwarded).toBe(8);
  });

  it('down fails open sessions and refuses new ones; up serves again; the server keeps none of ours', async () => {
    const p = await proxy();
    const client = await clientThrough(p);
    await client.query('SELECT 1');
    expect(await ourServerConnections()).toBe(1);
    await p.setEnabled(false);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    const refused = new pg.Client({ ...server.clientConfig({ host: '127.0.0.1', port: p.port }), application_name: APP });
    await expect(refused.connect()).rejects.toThrow(/ECONNREFUSED/);
    await waitFor(() => p.openConnections === 0, 'proxy empty');
    await p.setEnabled(true);
    const again = await clientThrough(p);
    expect((await again.query<{ v: number }>('SELECT 7 AS v')).rows[0]?.v).toBe(7);
    await again.end();
    await p.stop();
    // The server's own view: every backend that came through the proxy is gone.
    for (let i = 0; i < 200 && (await ourServerConnections()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await ourServerConnections()).toBe(0);
  });
});
