import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
import { decodeStoredKey } from './api-keys';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';

const KEY = 'sk-proj-THISISASECRETVALUE1234567890';
const dir = makeTempDir();
let stack: Stack;
const call = (method: string, params: unknown) => stack.dispatcher.dispatch(method, params, { transport: 'in-process' });

beforeAll(async () => {
  stack = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, env: { ANTHROPIC_API_KEY: 'sk-ant-from-env-123456' } });
});
afterAll(async () => {
  await stack.stop();
  dir.remove();
});

describe('secrets over the contract', () => {
  it('stores a key and only ever answers with a masked preview', async () => {
    const saved = await call('secrets.set', { name: 'provider.openai.apiKey', value: `  ${KEY}  ` });
    expect(saved).toMatchObject({ ok: true, result: { stored: true, preview: 'sk-pr****', envSet: false } });
    const listed = await call('secrets.list', {});
    expect(JSON.stringify(listed)).not.toContain('THISISASECRET');
    expect(listed).toMatchObject({ ok: true, result: { secrets: expect.arrayContaining([expect.objectContaining({ name: 'provider.openai.apiKey', stored: true })]) } });
    // The value itself is kept, trimmed, for the provider client, bound to the official API.
    expect(decodeStoredKey((await stack.core.secrets.get('provider.openai.apiKey'))!)).toEqual({ key: KEY, baseUrl: null });
    expect(saved).toMatchObject({ ok: true, result: { boundOrigin: 'https://api.openai.com', baseUrl: 'https://api.openai.com/v1', envBoundOrigin: null } });
    expect(statSync(join(dir.path, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('says when the environment variable overrides a saved key', async () => {
    const listed = await call('secrets.list', {});
    expect(listed).toMatchObject({ ok: true, result: { secrets: expect.arrayContaining([expect.objectContaining({ name: 'provider.anthropic.apiKey', stored: false, envSet: true, envVariable: 'ANTHROPIC_API_KEY' })]) } });
  });

  it('refuses unknown names and malformed values, naming the field', async () => {
    expect(await call('secrets.set', { name: 'db.password', value: 'whatever-long' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'name' }] } });
    expect(await call('secrets.set', { name: 'provider.openai.apiKey', value: 'has a space in it' })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'value' }] } });
  });

  it('saves a key with the origin it is bound to, and shows both without the key', async () => {
    const saved = await call('secrets.set', { name: 'provider.openai.apiKey', value: KEY, baseUrl: 'https://openrouter.ai/api/v1' });
    expect(saved).toMatchObject({ ok: true, result: { preview: 'sk-pr****', boundOrigin: 'https://openrouter.ai', baseUrl: 'https://openrouter.ai/api/v1' } });
    expect(JSON.stringify(saved)).not.toContain('THISISASECRET');
    // Saving again without a binding goes back to the official API: the binding is part of each save.
    expect(await call('secrets.set', { name: 'provider.openai.apiKey', value: KEY })).toMatchObject({ ok: true, result: { boundOrigin: 'https://api.openai.com' } });
  });

  it('refuses a binding that is not an http(s) URL without credentials, without echoing it', async () => {
    for (const baseUrl of ['javascript:alert(1)', 'ftp://files.example.com/', 'http://user:Secr3tPw@proxy.example.com/v1', 'not a url']) {
      const refused = await call('secrets.set', { name: 'provider.openai.apiKey', value: KEY, baseUrl });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'baseUrl' }] } });
      expect(JSON.stringify(refused)).not.toContain('Secr3tPw');
    }
  });

  it('shows where the environment key goes: OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the official API', async () => {
    const listed = await call('secrets.list', {});
    expect(listed).toMatchObject({ ok: true, result: { secrets: expect.arrayContaining([expect.objectContaining({ name: 'provider.anthropic.apiKey', envBoundOrigin: 'https://api.anthropic.com', envBaseUrlVariable: 'ANTHROPIC_BASE_URL' })]) } });
  });

  it('removes a key', async () => {
    expect(await call('secrets.delete', { name: 'provider.openai.apiKey' })).toEqual({ ok: true, result: { deleted: true } });
    expect(await stack.core.secrets.get('provider.openai.apiKey')).toBeUndefined();
  });
});
