import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger';
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
    // The value itself is kept, trimmed, for the provider client.
    expect(await stack.core.secrets.get('provider.openai.apiKey')).toBe(KEY);
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

  it('removes a key', async () => {
    expect(await call('secrets.delete', { name: 'provider.openai.apiKey' })).toEqual({ ok: true, result: { deleted: true } });
    expect(await stack.core.secrets.get('provider.openai.apiKey')).toBeUndefined();
  });
});
