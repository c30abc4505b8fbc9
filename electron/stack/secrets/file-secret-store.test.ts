import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveApiKey } from '../providers/api-keys';
import { createFileSecretStore, SECRETS_FILE } from './file-secret-store';
import type { SecretCodec } from './secret-store';

describe('file secret store (host mode)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'bulkhead-secrets-'));
    dirs.push(dir);
    return dir;
  };

  it('keeps secrets in a 0600 file, written atomically, and lists names only', async () => {
    const dir = tempDir();
    const path = join(dir, SECRETS_FILE);
    const store = createFileSecretStore({ path });
    expect(await store.get('provider.openai.apiKey')).toBeUndefined();
    await store.set('provider.openai.apiKey', 'sk-live-1234567890');
    await store.set('provider.anthropic.apiKey', 'sk-ant-0987654321');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([SECRETS_FILE]);
    expect(await store.list()).toEqual(['provider.anthropic.apiKey', 'provider.openai.apiKey']);
    expect(await createFileSecretStore({ path }).get('provider.openai.apiKey')).toBe('sk-live-1234567890');
    expect(await store.delete('provider.openai.apiKey')).toBe(true);
    expect(await store.delete('provider.openai.apiKey')).toBe(false);
    expect(await store.list()).toEqual(['provider.anthropic.apiKey']);
  });

  it('tightens a file that others could read, and says so', async () => {
    const path = join(tempDir(), SECRETS_FILE);
    writeFileSync(path, JSON.stringify({ version: 1, codec: 'plain', secrets: { a: 'b' } }));
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    expect(await createFileSecretStore({ path, onWarning: (w) => warnings.push(w) }).get('a')).toBe('b');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warnings[0]).toMatch(/mode 644.*now 600/);
  });

  it('runs values through a codec (how safeStorage plugs in) and refuses a file from another codec', async () => {
    const path = join(tempDir(), SECRETS_FILE);
    const reversing: SecretCodec = { name: 'test-reverse', encode: (p) => [...p].reverse().join(''), decode: (s) => [...s].reverse().join('') };
    await createFileSecretStore({ path, codec: reversing }).set('k', 'secret-value');
    expect(readFileSync(path, 'utf8')).not.toContain('secret-value');
    expect(await createFileSecretStore({ path, codec: reversing }).get('k')).toBe('secret-value');
    await expect(createFileSecretStore({ path }).get('k')).rejects.toMatchObject({ code: 'secrets.codec_mismatch' });
  });

  it('names the problem for bad names, empty values and a corrupt file', async () => {
    const path = join(tempDir(), SECRETS_FILE);
    const store = createFileSecretStore({ path });
    await expect(store.set('../etc', 'x')).rejects.toMatchObject({ code: 'secrets.bad_name' });
    await expect(store.set('ok', '')).rejects.toMatchObject({ code: 'secrets.empty' });
    writeFileSync(path, '{broken');
    await expect(store.get('ok')).rejects.toMatchObject({ code: 'secrets.unreadable' });
  });

  it('resolves API keys: explicit, then environment, then the store; a missing key names all three', async () => {
    const store = createFileSecretStore({ path: join(tempDir(), SECRETS_FILE) });
    await store.set('provider.openai.apiKey', 'from-store-123456');
    const explicit = await resolveApiKey('openai', { explicit: { key: 'given-1234567', baseUrl: 'http://127.0.0.1:9/v1' }, env: { OPENAI_API_KEY: 'env-123' }, store });
    expect([explicit.source, explicit.origin, explicit.revealFor('http://127.0.0.1:9')]).toEqual(['explicit', 'http://127.0.0.1:9', 'given-1234567']);
    const fromEnv = await resolveApiKey('openai', { env: { OPENAI_API_KEY: 'env-123' }, store });
    expect([fromEnv.source, fromEnv.origin, fromEnv.revealFor('https://api.openai.com')]).toEqual(['env', 'https://api.openai.com', 'env-123']);
    const fromStore = await resolveApiKey('openai', { env: {}, store });
    expect([fromStore.source, fromStore.origin, fromStore.revealFor('https://api.openai.com:443')]).toEqual(['secret-store', 'https://api.openai.com', 'from-store-123456']);
    await expect(resolveApiKey('anthropic', { env: {}, store })).rejects.toMatchObject({ code: 'provider.missing_api_key', remedy: expect.stringContaining('ANTHROPIC_API_KEY') });
  });
});
