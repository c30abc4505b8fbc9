import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../db/testing/test-server';
import { DoctorSandbox, statusLine, stepOf } from './testing/doctor-testing';

// A dedicated server: scram-sha-256 for every TCP login (what initdb --auth gives), no pgvector, and only
// six connection slots with none reserved, so "out of slots" can be produced for real.
let server: TestServer;
const sandbox = new DoctorSandbox();
beforeAll(async () => {
  server = await startTestServer({ serverSettings: { max_connections: '6', superuser_reserved_connections: '0', reserved_connections: '0' } });
}, 60_000);
afterAll(async () => {
  sandbox.dispose();
  await server.dispose();
});

async function occupy(count: number): Promise<pg.Client[]> {
  const clients: pg.Client[] = [];
  for (let i = 0; i < count; i++) {
    const client = new pg.Client(server.url());
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
  }
  return clients;
}

async function serverMajorOf(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const row = (await client.query<{ num: number }>("SELECT current_setting('server_version_num')::int AS num")).rows[0];
    return Math.floor((row?.num ?? 0) / 10_000);
  } finally {
    await client.end();
  }
}

describe('doctor against a scram server with six connection slots', () => {
  it('wrong password: auth fails with 28P01, and the remedy knows about POSTGRES_PASSWORD', async () => {
    const url = server.url().replace(encodeURIComponent(server.password), 'not-the-password');
    const report = await sandbox.diagnose({ url });
    expect(stepOf(report, 'auth')).toMatchObject({ status: 'fail', code: '28P01' });
    expect(stepOf(report, 'auth').remedy).toMatch(/POSTGRES_PASSWORD only applies when the data volume is first created/);
    expect(statusLine(report)).toMatch(/auth:fail database:skip/);
    expect(JSON.stringify(report)).not.toContain('not-the-password');
  });

  it('no password at all: says the server wants one', async () => {
    const report = await sandbox.diagnose({ url: `postgres://${server.user}@127.0.0.1:${server.port}/${server.database}` });
    expect(stepOf(report, 'auth')).toMatchObject({ status: 'fail', code: 'NO_PASSWORD' });
  });

  it('missing pgvector: a warning by default, a failure when BULKHEAD_RAG_VECTOR=required', async () => {
    const relaxed = await sandbox.diagnose({ url: server.url() });
    expect(relaxed.ok).toBe(true);
    expect(stepOf(relaxed, 'extensions')).toMatchObject({ status: 'warn', code: 'EXTENSION_NOT_AVAILABLE' });
    // The image and package named are those of this server's major version (the embedded server is 17).
    const major = await serverMajorOf(server.url());
    expect(stepOf(relaxed, 'extensions').remedy).toContain(`pgvector/pgvector:pg${major} image`);
    expect(stepOf(relaxed, 'extensions').remedy).toContain(`postgresql-${major}-pgvector package`);
    expect(stepOf(relaxed, 'extensions').remedy?.match(/pg\d+|postgresql-\d+/g)?.every((name) => name.endsWith(String(major)))).toBe(true);

    const strict = await sandbox.diagnose({ url: server.url(), env: { BULKHEAD_RAG_VECTOR: 'required' } });
    expect(strict.ok).toBe(false);
    expect(stepOf(strict, 'extensions')).toMatchObject({ status: 'fail', code: 'EXTENSION_NOT_AVAILABLE' });
    expect(stepOf(strict, 'privileges').status).toBe('pass'); // not blocking: the rest still runs
  });

  it('server out of connection slots: auth fails with 53300 and says who to look at', async () => {
    const held = await occupy(6);
    try {
      const report = await sandbox.diagnose({ url: server.url() });
      expect(stepOf(report, 'auth')).toMatchObject({ status: 'fail', code: '53300' });
      expect(stepOf(report, 'auth').remedy).toMatch(/pg_stat_activity.*BULKHEAD_POOL_MAX.*PgBouncer/);
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
  });

  it('nearly full: server warns about free slots, and the pool check fails with 53300 without stopping the latency step', async () => {
    const held = await occupy(3);
    try {
      const report = await sandbox.diagnose({ url: server.url() });
      expect(stepOf(report, 'server')).toMatchObject({ status: 'warn', code: 'FEW_SLOTS' });
      expect(stepOf(report, 'pool')).toMatchObject({ status: 'fail', code: '53300' });
      expect(stepOf(report, 'pool').detail).toMatch(/only 2 of 5 clients could connect/);
      expect(stepOf(report, 'latency').status).toBe('pass');
    } finally {
      await Promise.all(held.map((c) => c.end()));
    }
  });
});
