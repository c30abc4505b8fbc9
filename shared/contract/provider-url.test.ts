import { describe, expect, it } from 'vitest';
import { checkProviderUrl, ProviderUrlSchema } from './provider-url';

describe('provider URLs', () => {
  it.each([
    'https://api.openai.com/v1',
    'https://api.anthropic.com',
    'http://127.0.0.1:8080/v1',
    'http://[::1]:11434/v1/',
    'https://my-resource.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-06-01',
    '  https://openrouter.ai/api/v1  ',
  ])('accepts %j', (url) => {
    expect(checkProviderUrl(url).ok).toBe(true);
    expect(ProviderUrlSchema.parse(url)).toBe(url.trim());
  });

  it.each([
    ['javascript:alert(1)', 'must start with http:// or https://'],
    ['ftp://user:Secr3tPw@files.example.com/', 'must start with http:// or https://'],
    ['file:///etc/passwd', 'must start with http:// or https://'],
    ['data:text/html,hi', 'must start with http:// or https://'],
    ['http://user:Secr3tPw@proxy.example.com/v1', 'must not carry a user name or password'],
    ['http://:Secr3tPw@proxy.example.com/v1', 'must not carry a user name or password'],
    ['https://gw.example.com/v1?key=Secr3tPw', 'must not carry a key, token or password in its query'],
    ['https://gw.example.com/v1?access_token=Secr3tPw', 'must not carry a key, token or password in its query'],
    ['localhost:8080', 'must start with http:// or https://'],
    ['not a url', 'is not a URL'],
    ['', 'is empty'],
    [`https://example.com/${'a'.repeat(2100)}`, 'longer than 2048'],
  ])('refuses %j, without repeating it', (url, problem) => {
    const checked = checkProviderUrl(url);
    expect(checked.ok).toBe(false);
    const message = checked.ok ? '' : checked.problem;
    expect(message).toContain(problem);
    expect(message).not.toContain('Secr3tPw');
    expect(ProviderUrlSchema.safeParse(url).success).toBe(false);
  });
});
