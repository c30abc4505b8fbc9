import { describe, expect, it } from 'vitest';
import { openProvider } from './provider-setup';
import { rawPost } from './testing/test-support';

describe('openProvider', () => {
  it('starts the in-process simulator by default and stops it on close', async () => {
    const opened = await openProvider({ target: { kind: 'simulator', api: 'anthropic', settings: { anthropic: { rpm: 7 } } } });
    const result = await opened.client.chat({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'hi' }], maxTokens: 8 });
    expect(result.headers['anthropic-ratelimit-requests-limit']).toBe('7');
    expect(opened.describe()).toMatchObject({ provider: 'anthropic', simulated: true, apiKey: 'bulkh****' });
    const url = opened.simulator?.openaiBaseUrl ?? '';
    await opened.close();
    await expect(rawPost(`${url}/chat/completions`, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('needs a key for a real provider and masks it in the description', async () => {
    await expect(openProvider({ target: { kind: 'openai' }, env: {} })).rejects.toMatchObject({ code: 'provider.missing_api_key' });
    const env = { OPENAI_API_KEY: 'sk-proj-verysecretvalue123', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
    // No URL given: the key's own binding (OPENAI_BASE_URL) is where calls go.
    const opened = await openProvider({ target: { kind: 'openai' }, env });
    expect(opened.describe()).toEqual({ provider: 'openai', endpoint: 'http://127.0.0.1:9/v1/chat/completions', apiKey: 'sk-pr****', simulated: false });
    await opened.close();
    // A URL on another origin than the key's is refused before any socket opens.
    await expect(openProvider({ target: { kind: 'openai', baseUrl: 'http://127.0.0.1:10/v1' }, env })).rejects.toMatchObject({ code: 'provider.key_origin_mismatch' });
  });
});
