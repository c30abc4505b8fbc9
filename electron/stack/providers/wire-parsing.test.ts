import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskApiKey, scrubSecrets } from './api-keys';
import { resolveEndpoint } from './base-url';
import { classifyHttpError, classifyStreamError } from './classify-error';
import { formatGoDuration, parseGoDuration } from './go-duration';
import { parseRetryAfterMs, retryAfterFromMessage } from './retry-after';
import { SseParser } from './sse-parser';

const identity = (text: string): string => text;

describe('Go durations', () => {
  it('formats like Go prints a Duration', () => {
    expect(formatGoDuration(0)).toBe('0s');
    expect(formatGoDuration(12)).toBe('12ms');
    expect(formatGoDuration(1000)).toBe('1s');
    expect(formatGoDuration(9816)).toBe('9.816s');
    expect(formatGoDuration(360_000)).toBe('6m0s');
    expect(formatGoDuration(252_172)).toBe('4m12.172s');
    expect(formatGoDuration(83_909_144)).toBe('23h18m29.144s');
    expect(formatGoDuration(1500)).toBe('1.5s');
  });

  it('parses what it formats, and the forms providers send', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 * 86_400_000 }), (ms) => parseGoDuration(formatGoDuration(ms)) === ms));
    expect(parseGoDuration('1.5µs')).toBeCloseTo(0.0015);
    expect(parseGoDuration('2h')).toBe(7_200_000);
    expect(parseGoDuration('soon')).toBeUndefined();
    expect(parseGoDuration('10')).toBeUndefined();
  });
});

describe('retry-after from all three sources', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('prefers retry-after-ms, then retry-after seconds, then an HTTP date, then the message', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': '1250', 'retry-after': '9' }, 'try again in 20s', now)).toBe(1250);
    expect(parseRetryAfterMs({ 'retry-after': '7' }, 'try again in 20s', now)).toBe(7000);
    expect(parseRetryAfterMs({ 'retry-after': '0.5' }, undefined, now)).toBe(500);
    expect(parseRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, undefined, now)).toBe(3000);
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, undefined, now)).toBe(0);
    expect(parseRetryAfterMs({}, 'Rate limit reached ... Please try again in 9.816s. Visit ...', now)).toBe(9816);
    expect(parseRetryAfterMs({ 'retry-after-ms': 'soon' }, 'Please try again in 120ms.', now)).toBe(120);
    expect(parseRetryAfterMs({}, 'no idea', now)).toBeUndefined();
  });
  it('reads Go durations and words in messages', () => {
    expect(retryAfterFromMessage('Please try again in 1m30s.')).toBe(90_000);
    expect(retryAfterFromMessage('Please try again in 20 seconds.')).toBe(20_000);
  });
});

describe('classifying provider errors (docs/provider-behaviour.md)', () => {
  const classify = (status: number, body: unknown, headers: Record<string, string> = {}, provider: 'openai' | 'anthropic' = 'openai') =>
    classifyHttpError(provider, status, headers, typeof body === 'string' ? body : JSON.stringify(body), 0, identity);

  it('retries 408, 409, 429 and 5xx; not 400, 401, 404', () => {
    for (const status of [408, 409, 429, 500, 502, 503, 504, 529]) expect(classify(status, { error: { message: 'x', type: 't' } }).retryable).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(classify(status, { error: { message: 'x', type: 't' } }).retryable).toBe(false);
    expect(classify(401, {}).kind).toBe('auth');
  });

  it('does not retry insufficient_quota, "Request too large" or Anthropic’s spend limit', () => {
    const quota = classify(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect([quota.kind, quota.retryable]).toEqual(['quota_exhausted', false]);
    const quotaInType = classify(429, { error: { message: 'quota', type: 'insufficient_quota', code: null } });
    expect(quotaInType.retryable).toBe(false);
    const tooLarge = classify(429, { error: { message: 'Request too large for gpt-4o ...', type: 'tokens', code: 'rate_limit_exceeded' } });
    expect([tooLarge.kind, tooLarge.retryable]).toEqual(['request_too_large', false]);
    const spend = classify(429, { type: 'error', error: { type: 'rate_limit_error', message: 'limits', details: { error_code: 'enforced_spend_limit_reached' } } }, {}, 'anthropic');
    expect([spend.kind, spend.retryable, spend.providerCode]).toEqual(['quota_exhausted', false, 'enforced_spend_limit_reached']);
  });

  it('marks 529 as provider-wide overload and reads 429 type/code', () => {
    const overloaded = classify(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, {}, 'anthropic');
    expect([overloaded.kind, overloaded.retryable, overloaded.providerWide]).toEqual(['overloaded', true, true]);
    const limited = classify(429, { error: { message: 'Please try again in 1.5s.', type: 'tokens', code: 'rate_limit_exceeded' } }, { 'x-request-id': 'req_1' });
    expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, providerType: 'tokens', providerCode: 'rate_limit_exceeded', retryAfterMs: 1500, requestId: 'req_1', status: 429 });
  });

  it('honours x-should-retry both ways', () => {
    expect(classify(500, {}, { 'x-should-retry': 'false' }).retryable).toBe(false);
    expect(classify(400, {}, { 'x-should-retry': 'true' }).retryable).toBe(true);
    expect(classify(429, { error: { type: 'insufficient_quota' } }, { 'x-should-retry': 'true' }).retryable).toBe(true);
  });

  it('copes with bodies that are not JSON or have odd shapes', () => {
    expect(classify(502, '<html>Bad gateway</html>').message).toContain('<html>Bad gateway');
    expect(classify(400, { error: 'plain string' }).message).toContain('plain string');
    expect(classify(400, { message: 'top level' }).message).toContain('top level');
  });

  it('maps mid-stream error types', () => {
    expect(classifyStreamError('anthropic', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, {}, identity)).toMatchObject({
      kind: 'overloaded', retryable: true, providerWide: true, midStream: true, status: 200,
    });
    expect(classifyStreamError('anthropic', { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }, {}, identity).retryable).toBe(false);
    expect(classifyStreamError('openai', { error: { type: 'server_error', message: 'oops' } }, {}, identity)).toMatchObject({ kind: 'server_error', retryable: true });
  });
});

describe('SSE parsing', () => {
  it('handles events split across chunks, CRLF, comments and multi-line data', () => {
    const parser = new SseParser();
    const text = ': comment\r\nevent: a\r\ndata: one\r\ndata: two\r\n\r\ndata: {"x":1}\n\nevent: b\rdata:no-space\r\r';
    const events = [];
    for (let i = 0; i < text.length; i += 3) events.push(...parser.push(text.slice(i, i + 3)));
    events.push(...parser.end());
    expect(events).toEqual([
      { event: 'a', data: 'one\ntwo' },
      { event: 'message', data: '{"x":1}' },
      { event: 'b', data: 'no-space' },
    ]);
  });

  it('gives the same events however the stream is cut', () => {
    const text = 'event: message_start\ndata: {"a":1}\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n';
    const whole = new SseParser().push(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = new SseParser();
        const got = [];
        let last = 0;
        for (const point of [...points, text.length]) {
          got.push(...parser.push(text.slice(last, point)));
          last = point;
        }
        expect(got).toEqual(whole);
      }),
    );
  });
});

describe('base URLs with or without /v1', () => {
  it('finds the chat endpoint', () => {
    expect(resolveEndpoint('openai', 'https://api.openai.com').url).toBe('https://api.openai.com/v1/chat/completions');
    expect(resolveEndpoint('openai', 'https://api.openai.com/v1/').url).toBe('https://api.openai.com/v1/chat/completions');
    expect(resolveEndpoint('openai', 'https://openrouter.ai/api/v1').path).toBe('/api/v1/chat/completions');
    expect(resolveEndpoint('openai', 'http://localhost:11434/v1').origin).toBe('http://localhost:11434');
    expect(resolveEndpoint('openai', 'https://x.example/openai/v1/chat/completions?api-version=1').path).toBe('/openai/v1/chat/completions?api-version=1');
    expect(resolveEndpoint('anthropic', undefined).url).toBe('https://api.anthropic.com/v1/messages');
    expect(resolveEndpoint('anthropic', 'http://127.0.0.1:9/v1').url).toBe('http://127.0.0.1:9/v1/messages');
  });
  it('rejects what is not an http(s) URL, or carries credentials', () => {
    expect(() => resolveEndpoint('openai', 'api.openai.com')).toThrow(/not a URL/);
    expect(() => resolveEndpoint('openai', 'ftp://x')).toThrow(/http/);
    expect(() => resolveEndpoint('openai', 'https://user:pw@x.example/v1')).toThrow(/credentials/);
  });
});

describe('API key masking', () => {
  it('masks keys of any shape wherever they appear', () => {
    expect(maskApiKey('sk-proj-abcdefghijklmnop')).toBe('sk-pr****');
    expect(maskApiKey('short')).toBe('****');
    const text = 'Incorrect API key provided: local-key-1234567890 (Authorization: Bearer local-key-1234567890)';
    const scrubbed = scrubSecrets(text, ['local-key-1234567890']);
    expect(scrubbed).not.toContain('1234567890');
    expect(scrubSecrets('key sk-ant-api03-ABCDEFGHIJKLMNOP leaked', [])).not.toContain('ABCDEFGHIJKLMNOP');
  });
});

describe('rate-limit headers into numbers', () => {
  it('reads OpenAI x-ratelimit-* with Go-duration resets', async () => {
    const { parseRateLimitHeaders } = await import('./rate-limit-headers');
    const parsed = parseRateLimitHeaders('openai', {
      'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '499', 'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '29000', 'x-ratelimit-reset-tokens': '2s',
    }, 0);
    expect(parsed).toEqual({
      provider: 'openai',
      requests: { limit: 500, remaining: 499, msUntilFull: 120 },
      tokens: { limit: 30000, remaining: 29000, msUntilFull: 2000 },
      inputTokens: null,
      outputTokens: null,
    });
    expect(parseRateLimitHeaders('openai', { 'content-type': 'application/json' }, 0)).toBeNull();
  });

  it('reads Anthropic anthropic-ratelimit-* with RFC 3339 resets relative to now', async () => {
    const { parseRateLimitHeaders } = await import('./rate-limit-headers');
    const now = Date.parse('2026-05-01T10:00:00Z');
    const parsed = parseRateLimitHeaders('anthropic', {
      'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-reset': '2026-05-01T10:00:02Z',
      'anthropic-ratelimit-input-tokens-limit': '30000', 'anthropic-ratelimit-input-tokens-remaining': '29000', 'anthropic-ratelimit-input-tokens-reset': '2026-05-01T10:00:00Z',
    }, now);
    expect(parsed?.requests).toEqual({ limit: 50, remaining: 49, msUntilFull: 2000 });
    expect(parsed?.inputTokens).toEqual({ limit: 30000, remaining: 29000, msUntilFull: 0 });
    expect(parsed?.outputTokens).toBeNull();
  });
});
