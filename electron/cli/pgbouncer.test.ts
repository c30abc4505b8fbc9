import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBulkhead } from './testing/run-bulkhead';
import { DoctorSandbox, stepOf } from '../stack/doctor/testing/doctor-testing';
import { makeTempDir } from '../stack/testing/temp-dir';
import { pgbouncerUnavailable, startPgbouncerTestServer, type PgbouncerTestServer } from '../stack/testing/pgbouncer-test-server';
import { DEFAULT_POOL_SETTINGS } from '../stack/db/pool/pool-settings';
import { transactionStart } from '../stack/db/pool/client-config';
import { useTestDatabase } from '../stack/db/testing/test-database';
import { readPgbouncerConsole, adminEndpointFromUrl } from '../stack/db/pgbouncer/pgbouncer-admin';

/**
 * Bulkhead behind a real PgBouncer (Debian's, started here in transaction pooling in front of the test
 * PostgreSQL): the doctor names what breaks, SET LOCAL carries the statement timeout, and a governed
 * stress run goes through green once BULKHEAD_STATEMENT_TIMEOUT_SCOPE=transaction.
 */
const unavailable = pgbouncerUnavailable();
if (unavailable) console.warn(`PgBouncer tests skipped: ${unavailable}`);

const db = useTestDatabase('pgbouncer');
const sandbox = new DoctorSandbox();
const dataDirs: { remove: () => void }[] = [];
let bouncer: PgbouncerTestServer;

beforeAll(async () => {
  if (!unavailable) bouncer = await startPgbouncerTestServer(db.settings(), { poolMode: 'transaction', poolSize: 8 });
}, 30_000);
afterAll(async () => {
  sandbox.dispose();
  dataDirs.forEach((dir) => dir.remove());
  await bouncer?.stop();
});

function dataDir(): string {
  const dir = makeTempDir();
  dataDirs.push(dir);
  return dir.path;
}

describe.skipIf(unavailable !== null)('PgBouncer in transaction pooling', () => {
  it("the doctor finds it and fails the pgbouncer step: the pool's statement_timeout startup parameter is refused", async () => {
    const report = await sandbox.diagnose({ url: bouncer.url });
    const step = stepOf(report, 'pgbouncer');
    expect(step).toMatchObject({ status: 'fail', code: 'PGBOUNCER_STARTUP_PARAMETER' });
    expect(step.detail).toContain('unsupported startup parameter: statement_timeout');
    expect(step.detail).toMatch(/PgBouncer 1\.\d+\.\d+; pool_mode transaction/);
    expect(step.detail).toContain('pg_advisory_xact_lock');
    expect(step.remedy).toContain('BULKHEAD_STATEMENT_TIMEOUT_SCOPE=transaction');
    // Not blocking: the later steps still ran through the bouncer.
    expect(stepOf(report, 'pool').status).toBe('pass');
  });

  it('with BULKHEAD_STATEMENT_TIMEOUT_SCOPE=transaction it passes, warning only that single statements have no server default', async () => {
    const report = await sandbox.diagnose({ env: { DATABASE_URL: bouncer.url, BULKHEAD_STATEMENT_TIMEOUT_SCOPE: 'transaction' } });
    expect(stepOf(report, 'pgbouncer')).toMatchObject({ status: 'warn', code: 'PGBOUNCER_NO_DEFAULT_TIMEOUT' });
    expect(stepOf(report, 'pgbouncer').remedy).toContain('ALTER ROLE');
    expect(report.ok).toBe(true);
  });

  it('the same doctor straight at PostgreSQL says no pooler is in front', async () => {
    const report = await sandbox.diagnose({ url: db.url });
    expect(stepOf(report, 'pgbouncer')).toMatchObject({ status: 'pass' });
    expect(stepOf(report, 'pgbouncer').detail).toContain('no PgBouncer in front');
  });

  it("transactionStart's SET LOCAL bounds a statement through the bouncer and does not outlive its transaction", async () => {
    const client = new pg.Client({ connectionString: bouncer.url });
    await client.connect();
    try {
      await client.query(transactionStart({ statementTimeoutScope: 'transaction', statementTimeoutMs: 150 }));
      await expect(client.query('SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      expect((await client.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]?.statement_timeout).toBe('0');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect(transactionStart(DEFAULT_POOL_SETTINGS)).toBe('BEGIN');
  });

  it('the admin console answers SHOW POOLS and SHOW STATS for the database', async () => {
    const read = await readPgbouncerConsole(adminEndpointFromUrl(bouncer.adminUrl));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.console.version).toMatch(/^PgBouncer 1\./);
    expect(read.console.pools.find((row) => row.database === db.name)).toMatchObject({ pool_mode: 'transaction' });
    expect(read.console.stats.some((row) => row.database === db.name)).toBe(true);
  });

  it('a governed stress run through the bouncer is green with the transaction scope, and fails with the doctor\'s words without it', async () => {
    const through = await runBulkhead(['stress', '--profile', 'light', '--duration', '8', '--mode', 'governed', '--json', '--data-dir', dataDir()], {
      DATABASE_URL: bouncer.url,
      BULKHEAD_STATEMENT_TIMEOUT_SCOPE: 'transaction',
      BULKHEAD_POOL_MIN: '2',
      BULKHEAD_POOL_MAX: '6',
    });
    expect(through.stderr).not.toContain('internal error');
    const result = JSON.parse(through.stdout) as { ok: boolean; status: string; requests: { completed: number; failed: number }; errors: Record<string, number> };
    expect(result, through.stdout).toMatchObject({ ok: true, requests: { failed: 0 } });
    expect(result.requests.completed).toBeGreaterThanOrEqual(10);
    expect(through.code).toBe(0);

    const refused = await runBulkhead(['stress', '--profile', 'light', '--duration', '2', '--json', '--data-dir', dataDir()], { DATABASE_URL: bouncer.url });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('PGBOUNCER_STARTUP_PARAMETER');
    expect(refused.stdout).toContain('BULKHEAD_STATEMENT_TIMEOUT_SCOPE=transaction');
  }, 120_000);
});
