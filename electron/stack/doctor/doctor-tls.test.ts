import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresOsUser } from '../db/embedded/os-user';
import { startTestServer, type TestServer } from '../db/testing/test-server';
import { DoctorSandbox, stepOf } from './testing/doctor-testing';

// A real TLS server: embedded PostgreSQL with ssl=on and a self-signed certificate for "localhost" only.
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let server: TestServer;
let certDir: string;
const sandbox = new DoctorSandbox();

beforeAll(async () => {
  if (!hasOpenssl) return;
  certDir = mkdtempSync(join(tmpdir(), 'bulkhead-cert-'));
  chmodSync(certDir, 0o755);
  const cert = join(certDir, 'server.crt');
  const key = join(certDir, 'server.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  chmodSync(key, 0o600);
  const runAs = await postgresOsUser();
  if (runAs) chownSync(key, runAs.uid, runAs.gid);
  server = await startTestServer({ serverSettings: { ssl: 'on', ssl_cert_file: cert, ssl_key_file: key } });
}, 60_000);

afterAll(async () => {
  sandbox.dispose();
  await server?.dispose();
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

const url = (host: string, query: string): string => `postgres://${server.user}:${encodeURIComponent(server.password)}@${host}:${server.port}/${server.database}?${query}`;

describe.skipIf(!hasOpenssl)('doctor against a TLS server with a self-signed certificate', () => {
  it('verify-full without the CA: the certificate does not verify, and the fix is sslrootcert', async () => {
    const report = await sandbox.diagnose({ url: url('localhost', 'sslmode=verify-full') });
    const tls = stepOf(report, 'tls');
    expect(tls).toMatchObject({ status: 'fail', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(tls.detail).toMatch(/answered 'S'/);
    expect(tls.detail).toMatch(/names: localhost/);
    expect(tls.remedy).toMatch(/sslrootcert=/);
  });

  it('verify-full with the CA: TLS verified, and the session is encrypted', async () => {
    const report = await sandbox.diagnose({ url: url('localhost', `sslmode=verify-full&sslrootcert=${join(certDir, 'server.crt')}`) });
    expect(stepOf(report, 'tls')).toMatchObject({ status: 'pass' });
    expect(stepOf(report, 'tls').detail).toMatch(/certificate verified for localhost/);
    expect(stepOf(report, 'auth').detail).toMatch(/session encrypted: yes/);
    expect(report.ok).toBe(true);
  });

  it('the right CA but an IP address the certificate does not name: ERR_TLS_CERT_ALTNAME_INVALID', async () => {
    const report = await sandbox.diagnose({ url: url('127.0.0.1', `sslmode=verify-full&sslrootcert=${join(certDir, 'server.crt')}`) });
    expect(stepOf(report, 'tls')).toMatchObject({ status: 'fail', code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(stepOf(report, 'tls').remedy).toMatch(/Connect with a name the certificate lists \(localhost\)/);
  });

  it('sslmode=no-verify works but is reported as a warning, never silently', async () => {
    const report = await sandbox.diagnose({ url: url('127.0.0.1', 'sslmode=no-verify') });
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'url')).toMatchObject({ status: 'warn', code: 'TLS_UNVERIFIED' });
    expect(stepOf(report, 'tls')).toMatchObject({ status: 'warn', code: 'TLS_UNVERIFIED' });
  });

  it('no sslmode on a local host: plain connection, the offered TLS is noted', async () => {
    const report = await sandbox.diagnose({ url: url('127.0.0.1', 'application_name=x') });
    expect(stepOf(report, 'tls').detail).toMatch(/offers TLS; this connection goes without it/);
    expect(stepOf(report, 'auth').detail).toMatch(/session encrypted: no/);
  });
});
