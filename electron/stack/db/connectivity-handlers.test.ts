import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport, PgbouncerView } from '../../../shared/contract';
import { removeDataDir } from './testing/remove-data-dir';
import { useTestDatabase } from './testing/test-database';
import { silentLogger } from '../log/logger';
import { startStack, type Stack } from '../stack';
import { pgbouncerUnavailable, startPgbouncerTestServer, type PgbouncerTestServer } from '../testing/pgbouncer-test-server';
import { redisServerUnavailable, startRedisTestServer, type RedisTestServer } from '../testing/redis-test-server';

/** doctor.redis and pool.pgbouncer through the dispatcher, against a real redis-server and pgbouncer. */
const db = useTestDatabase('connectivity');
const dirs: string[] = [];
const stacks: Stack[] = [];
let redis: RedisTestServer | undefined;
let bouncer: PgbouncerTestServer | undefined;
const PASSWORD = 'conn-pw-5e6f';

beforeAll(async () => {
  if (!redisServerUnavailable()) redis = await startRedisTestServer([`requirepass ${PASSWORD}`]);
  if (!pgbouncerUnavailable()) bouncer = await startPgbouncerTestServer(db.settings());
}, 30_000);
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  for (const dir of dirs) removeDataDir(dir);
  await redis?.stop();
  await bouncer?.stop();
});

async function stackWith(env: NodeJS.ProcessEnv): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-conn-'));
  dirs.push(dir);
  const stack = await startStack({ dataDir: dir, role: 'test', log: silentLogger, database: 'none', env });
  stacks.push(stack);
  return stack;
}

const call = async (stack: Stack, method: string, params: unknown = {}) => stack.dispatcher.dispatch(method, params, { transport: 'in-process' });

describe('doctor.redis', () => {
  it('without a URL or BULKHEAD_REDIS_URL: a structured error naming the variable', async () => {
    const stack = await stackWith({});
    expect(await call(stack, 'doctor.redis')).toMatchObject({ ok: false, error: { code: 'REDIS_URL_MISSING' } });
  });

  it.skipIf(redisServerUnavailable() !== null)('checks BULKHEAD_REDIS_URL, or a typed URL, and masks the password', async () => {
    const stack = await stackWith({ BULKHEAD_REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis!.port}` });
    const configured = await call(stack, 'doctor.redis');
    expect(configured).toMatchObject({ ok: true, result: { ok: true } });
    expect(JSON.stringify(configured)).not.toContain(PASSWORD);
    const typed = await call(stack, 'doctor.redis', { url: redis!.url });
    expect(typed.ok && (typed.result as DoctorReport).steps.find((step) => step.id === 'auth')).toMatchObject({ status: 'fail', code: 'NOAUTH' });
  });
});

describe('pool.pgbouncer', () => {
  it('says which variable turns it on when none is set', async () => {
    const stack = await stackWith({});
    expect(await call(stack, 'pool.pgbouncer')).toMatchObject({ ok: true, result: { state: 'not-configured', variable: 'BULKHEAD_PGBOUNCER_ADMIN_URL' } });
  });

  it.skipIf(pgbouncerUnavailable() !== null)('reads SHOW POOLS and SHOW STATS from the admin console; a dead one is reported, not thrown', async () => {
    // PgBouncer lists a pool once a client has used it.
    const client = new pg.Client({ connectionString: bouncer!.url });
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
    const stack = await stackWith({ BULKHEAD_PGBOUNCER_ADMIN_URL: bouncer!.adminUrl });
    const view = await call(stack, 'pool.pgbouncer');
    expect(view.ok).toBe(true);
    const result = (view.ok ? view.result : null) as PgbouncerView;
    expect(result.state).toBe('ok');
    if (result.state !== 'ok') return;
    expect(result.version).toMatch(/^PgBouncer 1\./);
    expect(result.pools.find((row) => row.database === db.name)).toMatchObject({ pool_mode: 'transaction' });
    expect(result.stats.some((row) => row.database === db.name)).toBe(true);

    const dead = await stackWith({ BULKHEAD_PGBOUNCER_ADMIN_URL: 'postgres://admin:secret-x@127.0.0.1:1/pgbouncer' });
    const unreachable = await call(dead, 'pool.pgbouncer');
    expect(unreachable).toMatchObject({ ok: true, result: { state: 'unreachable', adminUrl: 'postgres://admin:****@127.0.0.1:1/pgbouncer' } });
    expect(JSON.stringify(unreachable)).not.toContain('secret-x');
  });
});
