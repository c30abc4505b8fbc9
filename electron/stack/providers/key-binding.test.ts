import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import { createFileSecretStore, SECRETS_FILE } from '../secrets/file-secret-store';
import { makeTempDir } from '../testing/temp-dir';
import { API_KEY_SECRET, encodeStoredKey, resolveApiKey } from './api-keys';
import { resolveEndpoint } from './base-url';
import { BoundApiKey } from './bound-api-key';
import { ProviderHttpPool } from './http-pool';
import { openAIProtocol } from './openai-protocol';
import { createProviderClient } from './provider-client';
import { openProvider } from './provider-setup';
import { sendOnce } from './provider-transport';
import { startRecordingProvider, type RecordingProvider } from './testing/test-support';
import { inspect } from 'node:util';

const KEY = 'sk-proj-BOUNDKEYSECRET0123456789';
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 4 };
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function listener(answer?: Parameters<typeof startRecordingProvider>[0]): Promise<RecordingProvider> {
  const started = await startRecordingProvider(answer);
  cleanups.push(() => started.close());
  return started;
}

describe('a key goes only to the origin it is bound to', () => {
  it('is sent to its bound origin (the control: the listener does see keys)', async () => {
    const bound = await listener();
    const client = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${bound.origin}/v1`) });
    cleanups.push(() => client.close({ destroy: true }));
    await client.chat(ask);
    expect(bound.seen).toEqual([expect.objectContaining({ path: '/v1/chat/completions', authorization: `Bearer ${KEY}` })]);
  });

  it('refuses a client for another origin before any socket opens', async () => {
    const other = await listener();
    const key = await resolveApiKey('openai', { env: { OPENAI_API_KEY: KEY } });
    expect(() => createProviderClient({ provider: 'openai', baseUrl: `${other.origin}/v1`, apiKey: key })).toThrow(
      expect.objectContaining({ code: 'provider.key_origin_mismatch', message: expect.stringContaining('https://api.openai.com') }),
    );
    expect(other.seen).toEqual([]);
  });

  it('refuses at the point the header is attached, whatever the caller built (transport guard)', async () => {
    const other = await listener();
    // A pool to another origin and a key bound elsewhere, put together by hand: the transport itself says no.
    const pool = new ProviderHttpPool(other.origin);
    cleanups.push(() => pool.close({ destroy: true }));
    const transport = {
      protocol: openAIProtocol(),
      endpoint: resolveEndpoint('openai', `${other.origin}/v1`),
      pool,
      clock: systemClock,
      apiKey: BoundApiKey.explicit('openai', KEY, 'https://api.openai.com/v1'),
      headersTimeoutMs: 2000,
      bodyTimeoutMs: 2000,
      scrub: (text: string) => text,
    };
    await expect(sendOnce(transport, ask, {})).rejects.toMatchObject({ code: 'provider.auth', retryable: false, providerCode: 'key_origin_mismatch' });
    expect(other.seen).toEqual([]);
  });

  it('does not follow a redirect from the bound origin to another, so the key stays home', async () => {
    const other = await listener();
    const bound = await listener((response) => response.writeHead(307, { location: `${other.origin}/v1/chat/completions?stolen=1` }).end());
    const client = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${bound.origin}/v1`) });
    cleanups.push(() => client.close({ destroy: true }));
    const error = await client.chat(ask).then(
      () => null,
      (e: unknown) => e as { kind: string; retryable: boolean; message: string },
    );
    expect(error).toMatchObject({ kind: 'bad_response', retryable: false });
    expect(error?.message).toContain(`a redirect to ${other.origin}`);
    expect(error?.message).not.toContain('stolen');
    expect(bound.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
  });

  it('binds an environment key to OPENAI_BASE_URL / ANTHROPIC_BASE_URL, and a saved key to the base URL saved with it', async () => {
    const fromEnv = await resolveApiKey('anthropic', { env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000' } });
    expect([fromEnv.origin, fromEnv.boundBy]).toEqual(['http://127.0.0.1:4000', 'ANTHROPIC_BASE_URL']);
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const store = createFileSecretStore({ path: `${dir.path}/${SECRETS_FILE}` });
    await store.set(API_KEY_SECRET.openai, encodeStoredKey({ key: KEY, baseUrl: 'https://openrouter.ai/api/v1' }));
    const saved = await resolveApiKey('openai', { env: { OPENAI_BASE_URL: 'http://127.0.0.1:5000/v1' }, store });
    // OPENAI_BASE_URL binds only the environment's key; the saved key keeps its own binding.
    expect([saved.source, saved.origin, saved.baseUrl]).toEqual(['secret-store', 'https://openrouter.ai', 'https://openrouter.ai/api/v1']);
    // A key saved before bindings existed (a bare string) is bound to the official API.
    await store.set(API_KEY_SECRET.openai, KEY);
    expect((await resolveApiKey('openai', { env: {}, store })).origin).toBe('https://api.openai.com');
    await expect(resolveApiKey('openai', { env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'http://u:pw@127.0.0.1/v1' } })).rejects.toMatchObject({
      code: 'provider.invalid_base_url',
      message: expect.not.stringContaining('pw@'),
    });
  });

  it('never prints the key: String, JSON and util.inspect show it masked', async () => {
    const key = BoundApiKey.explicit('openai', KEY, 'https://api.openai.com/v1');
    for (const shown of [String(key), JSON.stringify({ key }), inspect(key), inspect({ nested: key })]) {
      expect(shown).not.toContain('BOUNDKEYSECRET');
    }
  });

  it('calls the simulator with its own key, never a saved or environment one', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const store = createFileSecretStore({ path: `${dir.path}/${SECRETS_FILE}` });
    await store.set(API_KEY_SECRET.openai, encodeStoredKey({ key: KEY, baseUrl: null }));
    const opened = await openProvider({ target: { kind: 'simulator' }, env: { OPENAI_API_KEY: 'sk-proj-FROMENVIRONMENT012345' }, secrets: store });
    cleanups.push(() => opened.close());
    expect(opened.describe()).toMatchObject({ simulated: true, apiKey: 'bulkh****' });
    expect(opened.client.snapshot().apiKey).toBe('bulkh****');
  });
});
