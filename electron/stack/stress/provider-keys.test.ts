import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord, StartRunParams } from '../../../shared/contract/stress';
import type { StressProfileInput } from '../../../shared/contract/stress-profile';
import { useTestDatabase } from '../db/testing/test-database';
import { silentLogger } from '../log/logger';
import { startRecordingProvider, type RecordingProvider } from '../providers/testing/test-support';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';

/**
 * Issue 9 item 2 over the contract: whoever holds a session can start runs, but cannot make a stored or
 * environment key travel to a URL of their choosing. A real listener on another port must see nothing.
 */

const db = useTestDatabase('provider_keys');
const SAVED = 'sk-proj-SAVEDKEYSECRET0123456789';
const FROM_ENV = 'sk-ant-api03-ENVKEYSECRET0123456789';
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ragProfile: StressProfileInput = {
  name: 'keys',
  mix: { 'rag-answer': 1 },
  stages: [{ executor: 'constant-arrival-rate', durationS: 1, rate: 4 }],
  maxVUs: 10,
  gracefulStopS: 5,
};

async function stack(options: { env?: NodeJS.ProcessEnv; database?: 'none' | { url: string } } = {}): Promise<Stack> {
  const dir = makeTempDir();
  const started = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, env: options.env ?? {}, database: options.database ?? 'none' });
  cleanups.push(() => dir.remove(), () => started.stop());
  return started;
}

async function listener(): Promise<RecordingProvider> {
  const started = await startRecordingProvider();
  cleanups.push(() => started.close());
  return started;
}

const call = (s: Stack, method: string, params: unknown) => s.dispatcher.dispatch(method, params, { transport: 'http' });

async function runToEnd(s: Stack, params: StartRunParams): Promise<RunRecord> {
  let runId = '';
  const finished = new Promise<RunRecord>((resolve) => {
    const stop = s.hub.subscribe('stress.finished', (record) => {
      if (record.id !== runId) return;
      stop();
      resolve(record);
    });
  });
  const outcome = await call(s, 'stress.start', params);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  runId = (outcome.result as { runId: string }).runId;
  return finished;
}

describe('stress.start never sends a key to a URL it is not bound to', () => {
  it('refuses a saved key for another origin, naming providerUrl and the fix; nothing is sent or stored', async () => {
    const s = await stack();
    const other = await listener();
    expect(await call(s, 'secrets.set', { name: 'provider.openai.apiKey', value: SAVED })).toMatchObject({ ok: true });
    const refused = await call(s, 'stress.start', { profile: ragProfile, provider: 'openai', providerUrl: `${other.origin}/v1` });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'provider.key_origin_mismatch',
        message: expect.stringMatching(/saved openai key is bound to https:\/\/api\.openai\.com.*never sent to http:\/\/127\.0\.0\.1:\d+, which providerUrl names/),
        remedy: expect.stringMatching(/Settings.*simulator/),
      },
    });
    expect(JSON.stringify(refused)).not.toContain('SAVEDKEYSECRET');
    expect(other.seen).toEqual([]);
    expect(await call(s, 'stress.runs.list', {})).toEqual({ ok: true, result: [] });
  });

  it('refuses an environment key (x-api-key for Anthropic) for another origin than ANTHROPIC_BASE_URL', async () => {
    const bound = await listener();
    const other = await listener();
    const s = await stack({ env: { ANTHROPIC_API_KEY: FROM_ENV, ANTHROPIC_BASE_URL: bound.origin } });
    const refused = await call(s, 'stress.start', { profile: ragProfile, provider: 'anthropic', providerUrl: other.origin });
    expect(refused).toMatchObject({ ok: false, error: { code: 'provider.key_origin_mismatch', remedy: expect.stringContaining('ANTHROPIC_BASE_URL') } });
    expect(other.seen).toEqual([]);
    expect(bound.seen).toEqual([]);
  });

  it('refuses a run with no key before a run record exists', async () => {
    const s = await stack();
    expect(await call(s, 'stress.start', { profile: ragProfile, provider: 'openai' })).toMatchObject({ ok: false, error: { code: 'provider.missing_api_key' } });
    expect(await call(s, 'stress.runs.list', {})).toEqual({ ok: true, result: [] });
  });

  it('sends the saved key where Settings bound it, and only there (a whole run against a real listener)', async () => {
    const bound = await listener();
    const other = await listener();
    const s = await stack({ database: { url: db.url } });
    await s.core.database.whenReady();
    expect(await call(s, 'secrets.set', { name: 'provider.openai.apiKey', value: SAVED, baseUrl: `${bound.origin}/v1` })).toMatchObject({
      ok: true,
      result: { boundOrigin: bound.origin },
    });
    // No URL: the key's own base URL is used.
    const record = await runToEnd(s, { profile: ragProfile, provider: 'openai', mode: 'governed' });
    expect(record.status).toBe('completed');
    expect(record.summary?.requests.completed).toBe(4);
    expect(bound.seen.length).toBeGreaterThanOrEqual(4);
    expect(bound.seen.every((seen) => seen.authorization === `Bearer ${SAVED}`)).toBe(true);
    expect(record.config.providerEndpoint).toContain('(key sk-pr****)');
    expect(JSON.stringify(record)).not.toContain('SAVEDKEYSECRET');
    // The same origin named explicitly is fine; another is refused.
    expect(await call(s, 'stress.start', { profile: ragProfile, provider: 'openai', providerUrl: `${other.origin}/v1` })).toMatchObject({ ok: false, error: { code: 'provider.key_origin_mismatch' } });
    expect(other.seen).toEqual([]);
  });
});

describe('provider URLs are refused at parse time and never stored', () => {
  it.each([
    ['javascript:alert(1)', 'http:// or https://'],
    ['ftp://user:Secr3tPw@files.example.com/v1', 'http:// or https://'],
    ['http://user:Secr3tPw@127.0.0.1:9/v1', 'must not carry a user name or password'],
    ['not a url at all', 'is not a URL'],
    ['https://gateway.example.com/v1?api-version=2024-06-01&api_key=Secr3tPw', 'must not carry a key, token or password in its query'],
    ['', 'is empty'],
  ])('%j', async (providerUrl, problem) => {
    const s = await stack({ env: { OPENAI_API_KEY: SAVED } });
    const refused = await call(s, 'stress.start', { profile: 'light', provider: 'openai', providerUrl });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'providerUrl', message: expect.stringContaining(problem) }] } });
    expect(JSON.stringify(refused)).not.toContain('Secr3tPw');
    expect(JSON.stringify(refused)).not.toContain('alert(1)');
    expect(await call(s, 'stress.runs.list', {})).toEqual({ ok: true, result: [] });
  });

  it('refuses a provider URL with the simulator', async () => {
    const s = await stack();
    expect(await call(s, 'stress.start', { profile: 'light', providerUrl: 'http://127.0.0.1:9/v1' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS', issues: [{ path: 'providerUrl', message: expect.stringContaining('simulator') }] },
    });
  });
});
