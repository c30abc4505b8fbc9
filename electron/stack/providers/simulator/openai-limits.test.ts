import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { parseGoDuration } from '../go-duration';
import { openAIBody, rawPost } from '../testing/test-support';
import { startSimulator, type RunningSimulator } from './simulator';

const GO_DURATION = /^(?:\d+h)?(?:\d+m)?(?:\d+(?:\.\d+)?s|\d+ms)$/;

describe('simulator: OpenAI limits, checked with a raw HTTP client', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => sim?.stop());

  const start = async (rpm: number, tpm: number, clock = new ManualClock()) => {
    sim = await startSimulator({ clock, settings: { openai: { rpm, tpm } }, adminToken: null });
    return { sim, clock, url: `${sim.openaiBaseUrl}/chat/completions` };
  };

  it('answers 429 with the real headers and body once RPM is used, and again after the wait', async () => {
    const { url, clock } = await start(3, 100_000);
    for (let i = 0; i < 3; i++) expect((await rawPost(url, openAIBody())).status).toBe(200);
    const refused = await rawPost(url, openAIBody());
    expect(refused.status).toBe(429);
    expect(refused.headers['x-ratelimit-limit-requests']).toBe('3');
    expect(refused.headers['x-ratelimit-remaining-requests']).toBe('0');
    expect(refused.headers['x-ratelimit-reset-requests']).toMatch(GO_DURATION);
    expect(refused.headers['x-ratelimit-limit-tokens']).toBe('100000');
    const body = refused.json() as { error: { message: string; type: string; param: null; code: string } };
    expect(body.error.type).toBe('requests');
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(body.error.param).toBeNull();
    expect(body.error.message).toMatch(/^Rate limit reached for gpt-4o-mini in organization \S+ on requests per min \(RPM\): Limit 3, Used 3, Requested 1\. Please try again in \S+\. Visit/);
    // The refused request counted too, so the wait is 2 request-intervals (2 × 20 s at 3 RPM).
    expect(refused.headers['retry-after-ms']).toBe('40000');
    expect(refused.headers['retry-after']).toBe('40');
    expect(body.error.message).toContain('Please try again in 40s.');

    clock.advance(39_999);
    expect((await rawPost(url, openAIBody())).status).toBe(429);
    clock.advance(60_000 + 1);
    const again = await rawPost(url, openAIBody());
    expect(again.status).toBe(200);
  });

  it('charges TPM up front at max(max_tokens × n, prompt estimate)', async () => {
    const { url } = await start(1000, 10_000);
    const first = await rawPost(url, openAIBody({ max_tokens: 300, n: 2 }));
    expect(first.status).toBe(200);
    expect(first.headers['x-ratelimit-remaining-tokens']).toBe(String(10_000 - 600));
    // A 4 000-character prompt is 1 000 tokens by the char/4 rule, more than max_tokens 10.
    const long = await rawPost(url, openAIBody({ max_tokens: 10, messages: [{ role: 'user', content: 'x'.repeat(4000) }] }));
    expect(long.status).toBe(200);
    expect(long.headers['x-ratelimit-remaining-tokens']).toBe(String(10_000 - 600 - 1000));
    expect((long.json() as { usage: { prompt_tokens: number } }).usage.prompt_tokens).toBe(1000);
    // Not enough left for 9 000: a tokens 429 whose wait is what the bucket needs.
    const refused = await rawPost(url, openAIBody({ max_tokens: 9000 }));
    expect(refused.status).toBe(429);
    const body = refused.json() as { error: { message: string; type: string } };
    expect(body.error.type).toBe('tokens');
    expect(body.error.message).toContain('on tokens per min (TPM): Limit 10000, Used 1600, Requested 9000.');
    expect(Number(refused.headers['retry-after-ms'])).toBe(Math.ceil((9000 - 8400) / (10_000 / 60_000)));
  });

  it('says "Request too large" when one request exceeds the whole TPM, without a retry-after', async () => {
    const { url } = await start(1000, 1000);
    const refused = await rawPost(url, openAIBody({ max_tokens: 1001 }));
    expect(refused.status).toBe(429);
    const body = refused.json() as { error: { message: string; type: string; code: string } };
    expect(body.error.message).toMatch(/^Request too large for gpt-4o-mini .* Limit 1000, Requested 1001\./);
    expect(body.error.code).toBe('rate_limit_exceeded');
    expect(refused.headers['retry-after']).toBeUndefined();
  });

  it('writes resets as Go durations: time until the bucket is full', async () => {
    const { url, clock } = await start(60, 6000);
    const r1 = await rawPost(url, openAIBody({ max_tokens: 500 }));
    expect(r1.headers['x-ratelimit-reset-requests']).toBe('1s');
    expect(r1.headers['x-ratelimit-reset-tokens']).toBe('5s');
    clock.advance(250);
    const r2 = await rawPost(url, openAIBody({ max_tokens: 4000 }));
    expect(r2.headers['x-ratelimit-reset-requests']).toBe('1.75s');
    expect(r2.headers['x-ratelimit-reset-tokens']).toBe('44.75s');
    await sim?.stop();
    const slow = await start(1, 1_000_000);
    const r3 = await rawPost(slow.url, openAIBody());
    expect(r3.headers['x-ratelimit-reset-requests']).toBe('1m0s');
    expect(parseGoDuration(r3.headers['x-ratelimit-reset-requests'] ?? '')).toBe(60_000);
  });

  it('switches insufficient_quota on and off at runtime', async () => {
    const { url, sim: running } = await start(1000, 100_000);
    running.control.update({ behaviour: { quotaExhausted: true } });
    const refused = await rawPost(url, openAIBody());
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ error: { type: 'insufficient_quota', code: 'insufficient_quota', param: null } });
    running.control.update({ behaviour: { quotaExhausted: false } });
    expect((await rawPost(url, openAIBody())).status).toBe(200);
  });

  it('can leave out retry headers, so only the message says how long', async () => {
    const { url, sim: running } = await start(1, 100_000);
    running.control.update({ behaviour: { retryAfterHeaders: false } });
    await rawPost(url, openAIBody());
    const refused = await rawPost(url, openAIBody());
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeUndefined();
    expect(refused.headers['retry-after-ms']).toBeUndefined();
    expect((refused.json() as { error: { message: string } }).error.message).toContain('Please try again in 2m0s.');
  });
});
