import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../../shared/contract/doctor';
import { PROVIDER_DOCTOR_STEP_IDS } from '../../../../shared/contract/doctor';
import { systemClock } from '../../clock/clock';
import { findFreePort } from '../../db/embedded/free-port';
import { API_KEY_SECRET, encodeStoredKey } from '../../providers/api-keys';
import { startSimulator, type RunningSimulator } from '../../providers/simulator/simulator';
import { startTestHttpProxy } from '../../providers/testing/http-proxy';
import { createFileSecretStore, SECRETS_FILE } from '../../secrets/file-secret-store';
import { statusLine, stepOf } from '../testing/doctor-testing';
import type { ProviderDoctorInput } from './provider-doctor-context';
import { runProviderDoctor } from './run-provider-doctor';
import { answerModels, startAnsweringServer, startPythonHttpServer } from './testing/provider-servers';

const KEY = 'sk-proj-DOCTORTESTKEY-0123456789abcdefXYZ';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSimulator({ clock: systemClock });
});
afterAll(async () => simulator.stop());

function diagnose(input: Partial<ProviderDoctorInput> & { env: NodeJS.ProcessEnv }): Promise<DoctorReport> {
  return runProviderDoctor({ provider: 'openai', clock: systemClock, ...input });
}

/** The whole report as the CLI prints it with --json: the key must appear nowhere in it. */
function expectNoKey(report: DoctorReport, key = KEY): void {
  const text = JSON.stringify(report);
  expect(text).not.toContain(key);
  expect(text).not.toContain(key.slice(8));
}

describe('provider doctor against the built-in simulator (happy path)', () => {
  it('OpenAI: every step passes, limits read from the headers, the key masked', async () => {
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: simulator.openaiBaseUrl } });
    expect(report.steps.map((s) => s.id)).toEqual([...PROVIDER_DOCTOR_STEP_IDS]);
    expect(statusLine(report)).toBe('key:pass url:pass proxy:pass dns:pass tcp:pass tls:skip http:pass auth:pass model:pass limits:pass latency:pass');
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'key').detail).toContain('OPENAI_API_KEY (environment): sk-pr****');
    expect(stepOf(report, 'key').detail).toContain(`bound to ${simulator.url} (by OPENAI_BASE_URL)`);
    expect(stepOf(report, 'model').detail).toContain('gpt-4o-mini');
    expect(stepOf(report, 'limits').detail).toMatch(/requests\/min/);
    expect(stepOf(report, 'limits').detail).toMatch(/requests: [\d,]+ of [\d,]+ left, full again in/);
    expectNoKey(report);
  });

  it('Anthropic: x-api-key and anthropic-version, its buckets, a dated id counts for its alias', async () => {
    const report = await runProviderDoctor({ provider: 'anthropic', clock: systemClock, env: { ANTHROPIC_API_KEY: 'sk-ant-api03-DOCTORTEST-abcdef0123456789', ANTHROPIC_BASE_URL: simulator.anthropicBaseUrl } });
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'auth').status).toBe('pass');
    expect(stepOf(report, 'limits').detail).toMatch(/input tokens: .* left/);
    expect(stepOf(report, 'model').detail).toContain('claude-haiku-4-5');
    expectNoKey(report, 'sk-ant-api03-DOCTORTEST-abcdef0123456789');
  });

  it('names a model the key cannot use and suggests listed ones', async () => {
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: simulator.openaiBaseUrl }, model: 'gpt-4o-mni' });
    const model = stepOf(report, 'model');
    expect(model).toMatchObject({ status: 'fail', code: 'model_not_found' });
    expect(model.remedy).toContain('BULKHEAD_OPENAI_MODEL');
    expect(model.remedy).toContain('gpt-4o-mini');
  });
});

describe('provider doctor failures: the right step, code and fix, never the key', () => {
  it('a closed port: TCP fails with ECONNREFUSED and says to start the server or fix the port', async () => {
    const port = await findFreePort();
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } });
    expect(statusLine(report)).toMatch(/dns:pass tcp:fail tls:skip http:skip/);
    const tcp = stepOf(report, 'tcp');
    expect(tcp.code).toBe('ECONNREFUSED');
    expect(tcp.detail).toContain(`127.0.0.1:${port}`);
    expect(tcp.remedy).toMatch(/Check the port in the base URL, and that the server runs/);
    expect(report.ok).toBe(false);
    expectNoKey(report);
  });

  it('an HTTP-only server (python http.server) spoken to over https: TLS fails and says to use http://', async (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-pyhttp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const python = await startPythonHttpServer(dir);
    if (!python) return context.skip('python3 is not installed');
    cleanups.push(() => python.close());
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `https://127.0.0.1:${python.port}/v1` } });
    expect(statusLine(report)).toMatch(/tcp:pass tls:fail http:skip/);
    const tls = stepOf(report, 'tls');
    expect(tls.detail).toContain('does not speak TLS');
    expect(tls.remedy).toContain(`http://127.0.0.1:${python.port}/v1`);
    expect(tls.code).toMatch(/SSL|TLS/);
    expectNoKey(report);
  });

  it('a server answering 401 that echoes the key: auth fails (invalid or revoked) and the key is masked', async () => {
    const server = await startAnsweringServer((request, response) => {
      const sent = String(request.headers.authorization ?? '').replace('Bearer ', '');
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `Incorrect API key provided: ${sent}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    });
    cleanups.push(() => server.close());
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.origin}/v1` } });
    expect(server.seen[0]?.authorization).toBe(`Bearer ${KEY}`); // the control: the key did go to its bound origin
    expect(statusLine(report)).toMatch(/http:pass auth:fail model:skip/);
    const auth = stepOf(report, 'auth');
    expect(auth.code).toBe('invalid_api_key');
    expect(auth.detail).toContain('refused (401): invalid, revoked');
    expect(auth.remedy).toContain('https://platform.openai.com/api-keys');
    expect(auth.remedy).toContain('OPENAI_API_KEY');
    expectNoKey(report);
  });

  it('a server answering 404 for /models (python http.server): HTTP fails and says the base path is wrong', async (context) => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-pyhttp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const python = await startPythonHttpServer(dir);
    if (!python) return context.skip('python3 is not installed');
    cleanups.push(() => python.close());
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://127.0.0.1:${python.port}/api` } });
    const http = stepOf(report, 'http');
    expect(http).toMatchObject({ status: 'fail', code: 'HTTP_404' });
    expect(http.detail).toContain(`GET http://127.0.0.1:${python.port}/api/v1/models → 404`);
    expect(http.remedy).toMatch(/<base URL>\/models/);
    expect(stepOf(report, 'url')).toMatchObject({ status: 'warn', code: 'provider.base_path_missing_v1' });
    expectNoKey(report);
  });

  it('a dead proxy in HTTPS_PROXY: TCP to the proxy fails and the fix names HTTPS_PROXY (nothing leaves loopback)', async () => {
    const port = await findFreePort();
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, HTTPS_PROXY: `http://user:proxypass@127.0.0.1:${port}` } });
    expect(stepOf(report, 'proxy').detail).toContain(`through http://****@127.0.0.1:${port} (HTTPS_PROXY)`);
    expect(stepOf(report, 'dns').detail).toContain('the proxy 127.0.0.1');
    const tcp = stepOf(report, 'tcp');
    expect(tcp).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(tcp.detail).toContain(`the proxy 127.0.0.1:${port} named by HTTPS_PROXY`);
    expect(tcp.remedy).toContain('unset HTTPS_PROXY');
    expect(JSON.stringify(report)).not.toContain('proxypass');
    expectNoKey(report);
  });
});

describe('provider doctor: proxies and key bindings', () => {
  it('goes through a live proxy with a CONNECT tunnel, like the client', async () => {
    const server = await startAnsweringServer(answerModels(['gpt-4o-mini']));
    cleanups.push(() => server.close());
    const proxy = await startTestHttpProxy();
    cleanups.push(() => proxy.close());
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.origin}/v1`, HTTP_PROXY: proxy.url } });
    expect(report.ok).toBe(true);
    expect(stepOf(report, 'tcp').detail).toContain(`tunnel to 127.0.0.1:${server.port} open`);
    // One tunnel from the TCP step, one from the client pool the HTTP and latency steps share.
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`, `127.0.0.1:${server.port}`]);
    expect(server.seen.length).toBe(4);
  });

  it('a proxy that wants a login (407): TCP names PROXY_AUTH_REQUIRED and where the login goes (the proxy connects nowhere)', async () => {
    const proxy = await startTestHttpProxy({ requireAuth: 'Basic bm9ib2R5Om5vbmU=' });
    cleanups.push(() => proxy.close());
    const report = await diagnose({ env: { OPENAI_API_KEY: KEY, HTTPS_PROXY: proxy.url } });
    const tcp = stepOf(report, 'tcp');
    expect(tcp).toMatchObject({ status: 'fail', code: 'PROXY_AUTH_REQUIRED' });
    expect(tcp.detail).toContain('CONNECT api.openai.com:443 → HTTP/1.1 407');
    expect(tcp.remedy).toContain("user name and password in front of its host in HTTPS_PROXY, as in http://USER:****@127.0.0.1:");
    expect(proxy.tunnels).toEqual([]);
    expectNoKey(report);
  });

  it('never sends a key saved on Settings to a URL it is not bound to; reports it instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-provdoc-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const secrets = createFileSecretStore({ path: join(dir, SECRETS_FILE) });
    await secrets.set(API_KEY_SECRET.openai, encodeStoredKey({ key: KEY, baseUrl: null }));
    const server = await startAnsweringServer((_request, response) => response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Missing bearer authentication","code":null}}'));
    cleanups.push(() => server.close());
    const report = await diagnose({ env: {}, secrets, providerUrl: `${server.origin}/v1`, urlLabel: '--provider-url' });
    expect(stepOf(report, 'key').detail).toContain('saved on Settings: sk-pr****');
    const url = stepOf(report, 'url');
    expect(url).toMatchObject({ status: 'fail', code: 'provider.key_origin_mismatch' });
    expect(url.remedy).toContain('save it again on Settings with "Bound to"');
    expect(stepOf(report, 'http').detail).toContain('sent without a key');
    expect(stepOf(report, 'auth')).toMatchObject({ status: 'fail', code: 'provider.key_origin_mismatch' });
    expect(server.seen.length).toBeGreaterThan(0);
    expect(server.seen.every((seen) => seen.authorization === undefined && seen.apiKey === undefined)).toBe(true);
    expectNoKey(report);
  });

  it('without any key: the key step fails without blocking, the server is still reached', async () => {
    const report = await diagnose({ env: { OPENAI_BASE_URL: simulator.openaiBaseUrl } });
    expect(stepOf(report, 'key')).toMatchObject({ status: 'fail', code: 'provider.missing_api_key' });
    expect(stepOf(report, 'http').status).toBe('pass');
    expect(stepOf(report, 'auth')).toMatchObject({ status: 'fail', code: 'provider.missing_api_key' });
  });
});
