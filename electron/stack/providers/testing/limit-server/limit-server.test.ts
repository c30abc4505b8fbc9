import { afterEach, describe, expect, it } from 'vitest';
import { startLimitServer, type RunningLimitServer } from './limit-server';

/** The limit server itself: its buckets, headers, 429s and books, under a hand-moved clock. */
describe('limit server', () => {
  let server: RunningLimitServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${server!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('OpenAI shape, quantized: 60 RPM held as a 5-request bucket, refilled 1 per second; 429 with retry-after when short', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    server = await startLimitServer({ provider: 'openai', requestsPerMinute: 60, tokensPerMinute: 1_000_000, windowSeconds: 5, now: () => now });
    const body = { model: 'gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(400) }] };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post('/v1/chat/completions', body)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await post('/v1/chat/completions', body);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('retry-after-ms')).toBe('1000');
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('60');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(refused.headers.get('x-ratelimit-reset-requests')).toBe('5s');
    expect(await refused.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    now += 1500;
    const answered = await post('/v1/chat/completions', body);
    expect(answered.status).toBe(200);
    expect(answered.headers.get('x-ratelimit-reset-requests')).toBe('4.5s');
    // 103 prompt tokens (400 chars / 4 + 3) + 10 generated.
    expect(await answered.json()).toMatchObject({ usage: { prompt_tokens: 103, completion_tokens: 10 } });
    const stats = server.stats();
    // Offered: the 5 in the bucket at the first request + 1.5 s × 1/s.
    expect(stats).toMatchObject({ received: 7, admitted: 6, refused429: 1, measuredMs: 1500 });
    expect(stats.capacityUsed).toBeCloseTo(6 / 6.5, 6);
  });

  it('Anthropic shape: three buckets, token remaining rounded to thousands, RFC 3339 resets, output reserved then adjusted', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    server = await startLimitServer({ provider: 'anthropic', requestsPerMinute: 1200, inputTokensPerMinute: 200_000, outputTokensPerMinute: 40_000, windowSeconds: 5, answerTokens: 40, now: () => now });
    const response = await post('/v1/messages', { model: 'claude-haiku-4-5', max_tokens: 1000, messages: [{ role: 'user', content: 'y'.repeat(4000) }] });
    expect(response.status).toBe(200);
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('99');
    // 16,667 − 1,003 = 15,664 → 16000; 3,333 − 40 (1,000 reserved, 960 given back) = 3,293 → 3000.
    expect(response.headers.get('anthropic-ratelimit-input-tokens-remaining')).toBe('16000');
    expect(response.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('3000');
    expect(response.headers.get('anthropic-ratelimit-requests-reset')).toBe('2026-03-01T12:00:01Z');
    expect(await response.json()).toMatchObject({ type: 'message', usage: { input_tokens: 1003, output_tokens: 40 } });
    now += 100;
    const tooMuch = await post('/v1/messages', { model: 'claude-haiku-4-5', max_tokens: 3400, messages: [{ role: 'user', content: 'z' }] });
    expect(tooMuch.status).toBe(400);
    // 16,400 input tokens: within the 16,667 bucket, but only ~15,997 have come back since.
    const short = await post('/v1/messages', { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'z'.repeat(65_588) }] });
    expect(short.status).toBe(429);
    expect(await short.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    server.setLimits({ requestsPerMinute: 600, inputTokensPerMinute: 100_000, outputTokensPerMinute: 20_000, windowSeconds: 5 });
    const after = await post('/v1/messages', { model: 'claude-haiku-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'z' }] });
    expect(after.headers.get('anthropic-ratelimit-requests-limit')).toBe('600');
    expect(after.headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
  });
});
