import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSettings } from '../../../../shared/contract/pool';
import { sleep, systemClock, type Clock } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import type { ConnectionSettings } from '../config/database-config';
import { embeddedSettings, resolveTarget } from '../database-target';
import { useTestDatabase } from '../testing/test-database';
import { startTestServer } from '../testing/test-server';
import { silentLogger } from '../../log/logger';
import { makeTempDir } from '../../testing/temp-dir';
import { clientConfigFor } from './client-config';
import { InstrumentedPool, type InstrumentedPoolOptions } from './instrumented-pool';
import { DEFAULT_POOL_SETTINGS } from './pool-settings';

/** The pool keeping itself at min against a real PostgreSQL that ends its sessions, stops, or refuses. */
const db = useTestDatabase('pool_refill');
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function makePool(connection: ConnectionSettings, overrides: Partial<PoolSettings> = {}, extra: { clock?: Clock; refillBackoff?: InstrumentedPoolOptions['refillBackoff'] } = {}) {
  const settings: PoolSettings = { ...DEFAULT_POOL_SETTINGS, applicationName: `bh-refill-${randomBytes(3).toString('hex')}`, ...overrides };
  const target = await resolveTarget(connection);
  const pool = new InstrumentedPool({ config: clientConfigFor(target, settings), settings, clock: extra.clock ?? systemClock, log: silentLogger, ...(extra.refillBackoff ? { refillBackoff: extra.refillBackoff } : {}) });
  cleanups.push(() => pool.end());
  return { pool, settings };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(systemClock, 25);
  }
}

async function admin(): Promise<pg.Client> {
  const client = new pg.Client(db.url);
  client.on('error', () => undefined);
  await client.connect();
  cleanups.push(() => client.end());
  return client;
}

async function serverCount(client: pg.Client, applicationName: string): Promise<number> {
  const row = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName])).rows[0];
  return row?.n ?? -1;
}

describe('pool refill against a real PostgreSQL', () => {
  it('is back at min, on the server too, after pg_terminate_backend kills every session of the pool', async () => {
    const { pool, settings } = await makePool(db.settings(), { min: 5, max: 20 });
    await pool.warm();
    const psql = await admin();
    const killed = await psql.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [settings.applicationName]);
    expect(killed.rowCount).toBe(5);
    await until('the dead clients to leave the pool', () => pool.counters().totals.clientsRemoved >= 5);
    // total counts clients still connecting: wait for the refill to be done, then compare with the server.
    await until('min clients in the pool and on the server', async () => pool.counters().refill.state === 'at-min' && pool.counters().counts.idle === 5 && (await serverCount(psql, settings.applicationName)) === 5);
    expect(pool.counters().refill).toMatchObject({ state: 'at-min', missing: 0, failures: 0, belowMinSince: null });
    expect(pool.counters().refill.opened).toBeGreaterThanOrEqual(5);
    expect((await pool.query('after', 'SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });

  it('replaces killed clients while others sit idle (pg-pool hands out an idle client before it opens one)', async () => {
    const { pool, settings } = await makePool(db.settings(), { min: 5, max: 20 });
    await pool.warm();
    const psql = await admin();
    const killed = await psql.query('SELECT pg_terminate_backend(pid) FROM (SELECT pid FROM pg_stat_activity WHERE application_name = $1 LIMIT 3) victims', [settings.applicationName]);
    expect(killed.rowCount).toBe(3);
    await until('the three dead clients to leave', () => pool.counters().totals.clientsRemoved >= 3);
    await until('min clients again', async () => pool.counters().refill.state === 'at-min' && pool.counters().counts.idle === 5 && (await serverCount(psql, settings.applicationName)) === 5);
    expect(pool.counters().counts.total).toBe(5);
  });

  it('warm() opens the missing clients even when some are idle', async () => {
    const { pool, settings } = await makePool(db.settings(), { min: 4, max: 8 });
    (await pool.acquire('one')).release();
    expect(pool.counters().counts).toMatchObject({ total: 1, idle: 1 });
    expect(await pool.warm()).toBe(3);
    expect(pool.counters().counts.total).toBe(4);
    expect(await serverCount(await admin(), settings.applicationName)).toBe(4);
  });

  it('backs off while the server is down, and is back at min once it is up again', async () => {
    const dir = makeTempDir('bulkhead-refill-');
    cleanups.push(() => dir.remove());
    chmodSync(dir.path, 0o755);
    const server = await startTestServer({ baseDir: dir.path });
    cleanups.push(() => server.stop());
    const { pool, settings } = await makePool(embeddedSettings(server), { min: 3, max: 6, connectionTimeoutMs: 2_000 }, { refillBackoff: { initialMs: 50, maxMs: 400 } });
    await pool.warm();
    await server.stop();
    // While the server shuts down a connect may also be reset or told 57P03; once it is gone, refused.
    await until('refills refused', () => pool.counters().refill.failures >= 2 && /ECONNREFUSED/.test(pool.counters().refill.lastError ?? ''));
    expect(pool.counters().refill).toMatchObject({ state: expect.stringMatching(/backing-off|refilling/), missing: 3 });
    expect(pool.counters().counts.total).toBe(0);

    const again = await startTestServer({ baseDir: dir.path, port: server.port });
    cleanups.push(() => again.stop());
    await until('min clients after the restart', () => pool.counters().refill.state === 'at-min' && pool.counters().counts.idle === 3);
    expect(pool.counters().refill).toMatchObject({ state: 'at-min', failures: 0, lastError: null });
    const row = (await pool.query<{ app: string }>('probe', 'SELECT current_setting($1) AS app', ['application_name'])).rows[0];
    expect(row?.app).toBe(settings.applicationName);
  });

  it('refills as soon as a caller gets a new client through, without waiting out the back-off', async () => {
    const clock = new ManualClock(); // never advanced: the back-off alone would wait forever
    const dir = makeTempDir('bulkhead-refill-');
    cleanups.push(() => dir.remove());
    chmodSync(dir.path, 0o755);
    const server = await startTestServer({ baseDir: dir.path });
    cleanups.push(() => server.stop());
    const { pool } = await makePool(embeddedSettings(server), { min: 3, max: 6, connectionTimeoutMs: 2_000 }, { clock, refillBackoff: { initialMs: 60_000, maxMs: 60_000 } });
    await pool.warm();
    await server.stop();
    await until('the refill to back off', () => pool.counters().refill.state === 'backing-off');
    const again = await startTestServer({ baseDir: dir.path, port: server.port });
    cleanups.push(() => again.stop());
    expect((await pool.query('caller', 'SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await until('min clients', () => pool.counters().refill.state === 'at-min' && pool.counters().counts.idle === 3);
    expect(clock.pendingTimers).toBe(0);
  });

  it('opens one connection per attempt while a listener refuses, never a storm, and nothing after end()', async () => {
    // A listener that accepts and hangs up at once: what a proxy with no backend does.
    let connections = 0;
    const refuser: Server = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refuser.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => refuser.close(resolve)));
    const port = (refuser.address() as { port: number }).port;
    const clock = new ManualClock();
    const { pool } = await makePool({ ...db.settings(), host: '127.0.0.1', port, sslmode: 'disable' }, { min: 5, max: 20 }, { clock, refillBackoff: { initialMs: 1_000, maxMs: 8_000 } });

    pool.refillNow();
    await until('the first attempt to fail', () => pool.counters().refill.state === 'backing-off');
    expect(connections).toBe(5); // the first attempt asks for all that is missing
    for (let attempt = 2; attempt <= 6; attempt++) {
      clock.advance(pool.counters().refill.retryAt! - clock.now());
      await until(`attempt ${attempt} to fail`, () => pool.counters().refill.failures === attempt && pool.counters().refill.state === 'backing-off');
    }
    expect(connections).toBe(5 + 5); // then one per attempt
    const pending = pool.counters().refill.retryAt!;
    expect(pending - clock.now()).toBeLessThanOrEqual(8_000);

    await pool.end();
    expect(clock.pendingTimers).toBe(0);
    expect(pool.counters().refill.state).toBe('stopped');
    clock.advance(60_000);
    pool.refillNow();
    // pg counts a client from the moment it starts connecting: a refill after end() would show here.
    expect(pool.counters().counts.total).toBe(0);
    expect(connections).toBe(10);
  });
});
