import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PoolSettings } from '../../../../shared/contract/pool';
import { sleep, systemClock, type Clock } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import { silentLogger } from '../../log/logger';
import { resolveTarget } from '../database-target';
import { useTestDatabase } from '../testing/test-database';
import { clientConfigFor, queryWithNewClient } from './client-config';
import { InstrumentedPool } from './instrumented-pool';
import { DEFAULT_POOL_SETTINGS } from './pool-settings';
import { ServerActivitySampler } from './server-activity';

const db = useTestDatabase('pool');
const pools: InstrumentedPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.end();
});

async function makePool(overrides: Partial<PoolSettings> = {}, clock: Clock = systemClock) {
  const settings: PoolSettings = { ...DEFAULT_POOL_SETTINGS, applicationName: `bh-test-${randomBytes(3).toString('hex')}`, ...overrides };
  const target = await resolveTarget(db.settings());
  const pool = new InstrumentedPool({ config: clientConfigFor(target, settings), settings, clock, log: silentLogger });
  pools.push(pool);
  return { pool, settings, target };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await sleep(systemClock, 25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('InstrumentedPool against a real PostgreSQL', () => {
  it('warms to min, and pg_stat_activity counts exactly the pool\'s clients under its application_name', async () => {
    const { pool, settings, target } = await makePool({ min: 3, max: 6 });
    await pool.warm();
    const sampler = new ServerActivitySampler({ config: clientConfigFor(target, settings), applicationName: settings.applicationName, clock: systemClock });
    const lease = await pool.acquire('holder');
    const busy = lease.query('SELECT pg_sleep(0.3)');
    await sleep(systemClock, 100);
    const sample = await sampler.sample();
    await busy;
    lease.release();
    await sampler.stop();
    const counts = pool.counters().counts;
    expect(counts).toMatchObject({ total: 3, min: 3, max: 6 });
    expect(sample).toMatchObject({ ok: true, ours: 3, byState: { active: 1, idle: 2, idleInTransaction: 0 } });
    expect(sample.maxConnections).toBeGreaterThan(0);
  });

  it('flags a client held past the threshold with its label and the stack that took it', async () => {
    const clock = new ManualClock();
    const { pool } = await makePool({ min: 0, max: 2, leakThresholdMs: 5_000 }, clock);
    const lease = await function takenByTheLeakyFeature() {
      return pool.acquire('agent:leaky');
    }();
    clock.advance(4_000);
    expect(pool.counters().leaks).toEqual([]);
    clock.advance(2_000);
    const [leak] = pool.counters().leaks;
    expect(leak).toMatchObject({ label: 'agent:leaky', heldMs: 6_000 });
    expect(leak?.stack).toMatch(/takenByTheLeakyFeature/);
    expect(leak?.stack).toMatch(/instrumented-pool\.test\.ts/);
    expect(pool.counters().totals.leaksDetected).toBe(1);
    lease.release();
    expect(pool.counters().leaks).toEqual([]);
    expect(pool.counters().holdMs).toMatchObject({ count: 1, max: 6_000 });
  });

  it('fails fast with POOL_EXHAUSTED naming the holder when leaked clients fill the pool, and recovers on release', async () => {
    const { pool } = await makePool({ min: 0, max: 2, connectionTimeoutMs: 300 });
    const leaked = [await pool.acquire('leaky-1'), await pool.acquire('leaky-2')];
    const error = await pool.acquire('victim').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'POOL_EXHAUSTED' });
    expect((error as Error).message).toMatch(/"victim" waited 300 ms.*all 2 are in use.*"leaky-1"/);
    expect(pool.counters().totals.acquireTimeouts).toBe(1);
    for (const lease of leaked) lease.release();
    expect((await pool.query('after', 'SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
  });

  it('survives idle and held clients killed by pg_terminate_backend, and keeps serving', async () => {
    const { pool, settings } = await makePool({ min: 2, max: 4 });
    await pool.warm();
    const held = await pool.acquire('holder-between-queries');
    const admin = new pg.Client(db.url);
    await admin.connect();
    try {
      // Both are "idle" to the server: one waits in the pool, one is held by code between two queries.
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle'", [settings.applicationName]);
      expect(killed.rowCount).toBe(2);
    } finally {
      await admin.end();
    }
    await until(() => pool.counters().totals.idleClientErrors === 1, 'the idle client to report its error');
    await expect(held.query('SELECT 1')).rejects.toThrow();
    held.release(); // the broken client is destroyed, not returned
    await until(() => pool.counters().totals.clientsRemoved === 2, 'both dead clients to leave the pool');
    expect((await pool.query('after-kill', 'SELECT 2 AS two')).rows[0]).toEqual({ two: 2 });
  });

  it('gives unbounded mode the same connection settings as the pool', async () => {
    const { settings, target } = await makePool({ statementTimeoutMs: 12_345 });
    const result = await queryWithNewClient<{ app: string; timeout: string }>(target, settings, "SELECT current_setting('application_name') AS app, current_setting('statement_timeout') AS timeout");
    expect(result.rows[0]).toEqual({ app: settings.applicationName, timeout: '12345ms' });
  });
});
