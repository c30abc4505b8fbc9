import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_DOCTOR_STEP_IDS } from '../../../shared/contract/doctor';
import { useTestDatabase } from '../db/testing/test-database';
import { DoctorSandbox, statusLine, stepOf } from './testing/doctor-testing';

const db = useTestDatabase('doctor');
const sandbox = new DoctorSandbox();
const servers: Server[] = [];
afterAll(() => {
  sandbox.dispose();
  for (const server of servers) server.close();
});

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function fakeServer(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

describe('doctor against real servers', () => {
  it('passes every step against a healthy server, with every step listed in order', async () => {
    const report = await sandbox.diagnose({ url: db.url });
    expect(report.steps.map((s) => s.id)).toEqual([...DATABASE_DOCTOR_STEP_IDS]);
    expect(report.ok).toBe(true);
    for (const step of report.steps) expect(['pass', 'warn'], `${step.id}: ${step.detail}`).toContain(step.status);
    expect(report.target).not.toMatch(/:[^@/]+@/); // no password in the target
    expect(stepOf(report, 'latency').detail).toMatch(/p50 [\d.]+ ms, p95 [\d.]+ ms/);
    expect(stepOf(report, 'pool').detail).toMatch(/5 clients connected at once/);
  });

  it('closed port: tcp fails with ECONNREFUSED and the rest is skipped with the reason', async () => {
    const report = await sandbox.diagnose({ url: 'postgres://app:secret@127.0.0.1:1/rag' });
    expect(report.ok).toBe(false);
    expect(stepOf(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(stepOf(report, 'tcp').remedy).toMatch(/Nothing listens on 127.0.0.1:1.*pg_isready/);
    expect(stepOf(report, 'auth')).toMatchObject({ status: 'skip', detail: 'skipped: the tcp step failed (ECONNREFUSED)' });
    expect(JSON.stringify(report)).not.toContain('secret');
  });

  it('unresolvable host: dns fails with ENOTFOUND', async () => {
    const report = await sandbox.diagnose({ url: 'postgres://app@no-such-host.bulkhead.invalid:5432/rag' });
    expect(stepOf(report, 'dns')).toMatchObject({ status: 'fail', code: 'ENOTFOUND' });
    expect(stepOf(report, 'dns').remedy).toMatch(/spelling/);
    expect(statusLine(report)).toMatch(/dns:fail tcp:skip/);
  });

  it('compose service name used from the host: says to use localhost and the published port', async () => {
    const cwd = sandbox.folder({ 'compose.yml': 'services:\n  db:\n    image: pgvector/pgvector:pg16\n    ports:\n      - "5433:5432"\n' });
    const report = await sandbox.diagnose({ url: 'postgres://app:pw@db:5432/rag', cwd });
    expect(stepOf(report, 'container')).toMatchObject({ status: 'warn', code: 'SERVICE_NAME_FROM_HOST' });
    expect(stepOf(report, 'dns')).toMatchObject({ status: 'fail' });
    expect(stepOf(report, 'dns').remedy).toMatch(/compose service name.*localhost:5433/);
  });

  it('localhost inside a container: the remedy explains that localhost is the container', async () => {
    const fsRoot = sandbox.folder({ '.dockerenv': '' });
    const report = await sandbox.diagnose({ url: 'postgres://app@localhost:1/rag', fsRoot });
    expect(stepOf(report, 'container').detail).toMatch(/inside a docker container/);
    expect(stepOf(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(stepOf(report, 'tcp').remedy).toMatch(/Inside a container, localhost is the container itself.*service name/);
  });

  it('sslmode=require against a server without TLS: tls fails and says to drop sslmode for a local host', async () => {
    const url = `${db.url}${db.url.includes('?') ? '&' : '?'}sslmode=require`;
    const report = await sandbox.diagnose({ url });
    const tls = stepOf(report, 'tls');
    // The shared test server normally has no TLS; if one does, this case is not reproducible on it.
    if (tls.detail.includes("answered 'S'")) return;
    expect(tls).toMatchObject({ status: 'fail', code: 'TLS_NOT_SUPPORTED' });
    expect(tls.detail).toMatch(/does not support SSL/);
    expect(tls.remedy).toMatch(/Remove sslmode=require/);
    expect(stepOf(report, 'url')).toMatchObject({ status: 'warn', code: 'TLS_REQUIRED_LOCAL' });
  });

  it('missing database: auth passes, database fails with 3D000 and suggests the closest existing name', async () => {
    const typo = `${db.name.slice(0, -1)}x`;
    const report = await sandbox.diagnose({ url: withDatabase(db.url, typo) });
    expect(stepOf(report, 'auth').status).toBe('pass');
    expect(stepOf(report, 'database')).toMatchObject({ status: 'fail', code: '3D000' });
    expect(stepOf(report, 'database').remedy).toContain(`Did you mean "${db.name}"?`);
    expect(stepOf(report, 'server').status).toBe('skip');
  });

  it('a port that accepts and closes (docker-proxy with no database behind it): CONNECTION_CLOSED', async () => {
    const port = await fakeServer((socket) => socket.destroy());
    const report = await sandbox.diagnose({ url: `postgres://app@127.0.0.1:${port}/rag` });
    expect(stepOf(report, 'tcp').status).toBe('pass');
    expect(stepOf(report, 'tls')).toMatchObject({ status: 'fail', code: 'CONNECTION_CLOSED' });
    expect(stepOf(report, 'tls').remedy).toMatch(/docker compose ps.*healthcheck/);
  });

  it('another program on the port: NOT_POSTGRES', async () => {
    const port = await fakeServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const report = await sandbox.diagnose({ url: `postgres://app@127.0.0.1:${port}/rag` });
    expect(stepOf(report, 'tls')).toMatchObject({ status: 'fail', code: 'NOT_POSTGRES' });
  });

  it('URL mistakes stop at the url step with the corrected form', async () => {
    const report = await sandbox.diagnose({ url: 'jdbc:postgresql://localhost:5432/rag?user=app&password=hunter2' });
    expect(stepOf(report, 'url')).toMatchObject({ status: 'fail', code: 'URL_JDBC' });
    expect(stepOf(report, 'url').remedy).toContain('postgres://app:****@localhost:5432/rag');
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('env: shows where DATABASE_URL came from and warns when the environment shadows a different .env value', async () => {
    const cwd = sandbox.folder({ '.env': 'DATABASE_URL=postgres://app:fromfile@127.0.0.1:1/rag\n' });
    const report = await sandbox.diagnose({ env: { DATABASE_URL: db.url }, cwd });
    const env = stepOf(report, 'env');
    expect(env).toMatchObject({ status: 'warn', code: 'ENV_SHADOWED' });
    expect(env.detail).toMatch(/the environment.s DATABASE_URL hides a different one in \.env/);
    expect(env.detail).not.toContain('fromfile');
    expect(report.ok).toBe(true); // the environment's URL works
  });

  it('nothing configured and no embedded database reachable: NO_DATABASE with how to fix it', async () => {
    const report = await sandbox.diagnose({ embedded: () => Promise.resolve(null) });
    expect(stepOf(report, 'env').detail).toMatch(/embedded PostgreSQL/);
    expect(stepOf(report, 'url')).toMatchObject({ status: 'fail', code: 'NO_DATABASE' });
  });
});
