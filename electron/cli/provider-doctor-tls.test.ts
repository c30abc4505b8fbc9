import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBulkhead } from './testing/run-bulkhead';
import { systemClock } from '../stack/clock/clock';
import { statusLine, stepOf } from '../stack/doctor/testing/doctor-testing';
import { runProviderDoctor } from '../stack/doctor/provider/run-provider-doctor';
import { answerModels, makeSelfSignedCertificate, startAnsweringServer, type LoopbackServer } from '../stack/doctor/provider/testing/provider-servers';

const KEY = 'sk-proj-TLSDOCTORKEY-9876543210fedcba';
const dir = mkdtempSync(join(tmpdir(), 'bulkhead-provider-tls-'));
const certificate = makeSelfSignedCertificate(dir);
let server: LoopbackServer | undefined;

beforeAll(async () => {
  if (certificate) server = await startAnsweringServer(answerModels(['gpt-4o-mini']), certificate);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(certificate === null)('provider doctor: TLS with a self-signed certificate (openssl, made now)', () => {
  it('fails the TLS step on the untrusted chain, shows the certificate and names NODE_EXTRA_CA_CERTS; the key is never sent', async () => {
    const report = await runProviderDoctor({ provider: 'openai', clock: systemClock, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server!.origin}/v1` } });
    expect(statusLine(report)).toMatch(/tcp:pass tls:fail http:skip/);
    const tls = stepOf(report, 'tls');
    expect(tls.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(tls.detail).toContain('not trusted');
    expect(tls.detail).toContain('Bulkhead Test Provider (self-signed)');
    expect(tls.remedy).toContain('NODE_EXTRA_CA_CERTS=/path/to/ca.pem');
    expect(tls.remedy).toContain('restart');
    expect(server!.seen).toEqual([]);
    expect(JSON.stringify(report)).not.toContain(KEY);
  });

  it('passes once the process starts with NODE_EXTRA_CA_CERTS naming the certificate (bulkhead doctor in a child process)', async () => {
    const result = await runBulkhead(['doctor', '--provider', 'openai', '--json'], {
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: `${server!.origin}/v1`,
      NODE_EXTRA_CA_CERTS: certificate!.certPath,
      BULKHEAD_DATA_DIR: join(dir, 'data'),
    });
    const report = JSON.parse(result.stdout) as Parameters<typeof stepOf>[0];
    expect(stepOf(report, 'tls').status).toBe('pass');
    expect(stepOf(report, 'tls').detail).toContain(`NODE_EXTRA_CA_CERTS=${certificate!.certPath} is in effect`);
    expect(stepOf(report, 'auth').status).toBe('pass');
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).not.toContain(KEY);
  }, 30_000);
});
