import { afterEach, describe, expect, it } from 'vitest';
import { BoundApiKey } from './bound-api-key';
import { createProviderClient } from './provider-client';
import { DIRECT, describeProxyVariables, proxyRouteFor } from './proxy-env';
import { startTestHttpProxy } from './testing/http-proxy';
import { startRecordingProvider } from './testing/test-support';

const KEY = 'sk-proj-PROXYTESTKEY0123456789abcdef';
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], maxTokens: 4 };
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('proxyRouteFor: which proxy a provider origin goes through', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, lower case first', () => {
    const env = { HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:8080' };
    expect(proxyRouteFor('https://api.openai.com/v1', env)).toMatchObject({ variable: 'https_proxy', display: 'http://lower:3128' });
    expect(proxyRouteFor('http://10.0.0.5:8000/v1', env)).toMatchObject({ variable: 'HTTP_PROXY', display: 'http://plain:8080' });
    // https with only HTTP_PROXY set: HTTP_PROXY serves it (undici and curl agree).
    expect(proxyRouteFor('https://api.anthropic.com', { HTTP_PROXY: 'proxy.corp:8080' })).toMatchObject({ variable: 'HTTP_PROXY', display: 'http://proxy.corp:8080' });
    expect(proxyRouteFor('https://api.openai.com', {})).toEqual(DIRECT);
  });

  it('honours NO_PROXY: exact names, subdomains, ports, leading dots, * and IPv6', () => {
    const route = (target: string, noProxy: string) => proxyRouteFor(target, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy });
    expect(route('https://api.openai.com', 'openai.com').bypassedBy).toBe('openai.com');
    expect(route('https://api.openai.com', '.openai.com').bypassedBy).toBe('.openai.com');
    expect(route('https://api.openai.com', '*.openai.com').bypassedBy).toBe('*.openai.com');
    expect(route('https://notopenai.com', 'openai.com').proxyUrl).toBe('http://p:1/');
    expect(route('http://localhost:11434/v1', 'localhost:11434').bypassedBy).toBe('localhost:11434');
    expect(route('http://localhost:8000/v1', 'localhost:11434').proxyUrl).not.toBeNull();
    expect(route('https://api.openai.com', '*').bypassedBy).toBe('*');
    expect(route('http://[::1]:8000', '::1').bypassedBy).toBe('::1');
    expect(route('http://[::1]:8000', '[::1]:8000').bypassedBy).toBe('[::1]:8000');
    expect(proxyRouteFor('https://api.openai.com', { HTTPS_PROXY: 'http://p:1', no_proxy: 'openai.com', NO_PROXY: '' }).noProxyVariable).toBe('no_proxy');
  });

  it('refuses a proxy value it cannot use, naming the variable; masks credentials', () => {
    expect(() => proxyRouteFor('https://api.openai.com', { HTTPS_PROXY: 'socks5://127.0.0.1:1080' })).toThrow(expect.objectContaining({ code: 'provider.invalid_proxy', message: expect.stringContaining('HTTPS_PROXY') }));
    expect(() => proxyRouteFor('https://api.openai.com', { https_proxy: 'http://[bad' })).toThrow(expect.objectContaining({ message: expect.stringContaining('https_proxy') }));
    const route = proxyRouteFor('https://api.openai.com', { HTTPS_PROXY: 'http://alice:s3cretPass@proxy.corp:3128' });
    expect(route.display).toBe('http://****@proxy.corp:3128');
    expect(describeProxyVariables({ HTTPS_PROXY: 'http://alice:s3cretPass@proxy.corp:3128', NO_PROXY: 'localhost' }).join('\n')).not.toContain('s3cretPass');
  });
});

describe('the provider client honours the proxy variables (through a real proxy)', () => {
  it('tunnels through HTTP_PROXY with CONNECT; the key arrives at the provider only', async () => {
    const provider = await startRecordingProvider();
    cleanups.push(() => provider.close());
    const proxy = await startTestHttpProxy();
    cleanups.push(() => proxy.close());
    const client = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${provider.origin}/v1`), env: { HTTP_PROXY: proxy.url } });
    cleanups.push(() => client.close({ destroy: true }));
    const answer = await client.chat(ask);
    expect(answer.text).toBe('ok');
    expect(proxy.tunnels).toEqual([provider.origin.replace('http://', '')]);
    expect(provider.seen).toEqual([expect.objectContaining({ path: '/v1/chat/completions', authorization: `Bearer ${KEY}` })]);
    expect(client.snapshot().pool.proxy).toBe(proxy.url);
  });

  it('sends proxy credentials from the URL, and goes direct for NO_PROXY hosts', async () => {
    const provider = await startRecordingProvider();
    cleanups.push(() => provider.close());
    const proxy = await startTestHttpProxy({ requireAuth: `Basic ${Buffer.from('alice:pw').toString('base64')}` });
    cleanups.push(() => proxy.close());
    const withAuth = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${provider.origin}/v1`), env: { http_proxy: proxy.url.replace('http://', 'http://alice:pw@') } });
    cleanups.push(() => withAuth.close({ destroy: true }));
    await withAuth.chat(ask);
    expect(proxy.tunnels).toHaveLength(1);

    const bypass = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${provider.origin}/v1`), env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    cleanups.push(() => bypass.close({ destroy: true }));
    await bypass.chat(ask);
    expect(proxy.tunnels).toHaveLength(1);
    expect(provider.seen).toHaveLength(2);
  });

  it('fails as a connection error naming nothing secret when the proxy is dead', async () => {
    const provider = await startRecordingProvider();
    cleanups.push(() => provider.close());
    const dead = await startTestHttpProxy();
    const deadUrl = dead.url;
    await dead.close();
    const client = createProviderClient({ provider: 'openai', apiKey: BoundApiKey.explicit('openai', KEY, `${provider.origin}/v1`), env: { HTTP_PROXY: deadUrl }, headersTimeoutMs: 2000 });
    cleanups.push(() => client.close({ destroy: true }));
    const error = await client.chat(ask).then(() => null, (caught: unknown) => caught as Error);
    expect(error).toMatchObject({ kind: 'connection' });
    expect(String(error?.message)).not.toContain(KEY);
    expect(provider.seen).toEqual([]);
  });
});
