import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { anthropicBody, rawPost } from '../testing/test-support';
import type { SettingsPatch } from './sim-config';
import { startSimulator, type RunningSimulator } from './simulator';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const KEY = { 'x-api-key': 'sk-ant-test-key', 'anthropic-version': '2023-06-01' };

describe('simulator: Anthropic limits, checked with a raw HTTP client', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => sim?.stop());

  const start = async (settings: SettingsPatch, clock = new ManualClock(1_700_000_000_000)) => {
    sim = await startSimulator({ clock, settings, adminToken: null });
    return { sim, clock, url: `${sim.anthropicBaseUrl}/v1/messages` };
  };

  it('answers 429 rate_limit_error with retry-after and anthropic-ratelimit-* headers (RFC 3339 resets)', async () => {
    const { url, clock } = await start({ anthropic: { rpm: 2, itpm: 50_000, otpm: 10_000 } });
    const ok = await rawPost(url, anthropicBody(), KEY);
    expect(ok.status).toBe(200);
    expect(ok.headers['anthropic-ratelimit-requests-limit']).toBe('2');
    expect(ok.headers['anthropic-ratelimit-requests-remaining']).toBe('1');
    // One request at 2 RPM takes 30 s to refill: the reset is that instant, as RFC 3339.
    expect(ok.headers['anthropic-ratelimit-requests-reset']).toBe(new Date(clock.now() + 30_000).toISOString().replace('.000Z', 'Z'));
    for (const name of ['input-tokens', 'output-tokens', 'tokens']) {
      expect(ok.headers[`anthropic-ratelimit-${name}-reset`]).toMatch(RFC3339);
      expect(ok.headers[`anthropic-ratelimit-${name}-limit`]).toBeDefined();
    }
    expect(ok.headers['request-id']).toMatch(/^req_/);
    await rawPost(url, anthropicBody(), KEY);
    const refused = await rawPost(url, anthropicBody(), KEY);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    const body = refused.json() as { type: string; error: { type: string; message: string }; request_id: string };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toContain('2 requests per minute');
    expect(body.request_id).toBe(refused.headers['request-id']);
    clock.advance(60_000);
    expect((await rawPost(url, anthropicBody(), KEY)).status).toBe(200);
  });

  it('rounds token remaining values to the nearest thousand, and -tokens- shows the tightest limit', async () => {
    const { url, sim: running } = await start({ anthropic: { rpm: 100, itpm: 50_000, otpm: 100_000 } });
    // 6 400 characters = 1 600 input tokens: 48 400 left, shown as 48 000.
    const r = await rawPost(url, anthropicBody({ messages: [{ role: 'user', content: 'y'.repeat(6400) }] }), KEY);
    expect(r.headers['anthropic-ratelimit-input-tokens-remaining']).toBe('48000');
    expect(running.snapshot().buckets.anthropic.inputTokens.remaining).toBe(48_400);
    expect(r.headers['anthropic-ratelimit-tokens-limit']).toBe('50000');
    expect(r.headers['anthropic-ratelimit-tokens-remaining']).toBe('48000');
    expect((r.json() as { usage: { input_tokens: number } }).usage.input_tokens).toBe(1600);
  });

  it('counts cache writes against ITPM but not cache reads, and reports both in usage', async () => {
    const { url, sim: running } = await start({ anthropic: { rpm: 100, itpm: 100_000, otpm: 100_000 } });
    const system = [{ type: 'text', text: 's'.repeat(8000), cache_control: { type: 'ephemeral' } }];
    const body = anthropicBody({ system, messages: [{ role: 'user', content: 'q'.repeat(400) }] });
    const first = (await rawPost(url, body, KEY)).json() as { usage: Record<string, number> };
    expect(first.usage).toMatchObject({ input_tokens: 100, cache_creation_input_tokens: 2000, cache_read_input_tokens: 0 });
    expect(running.snapshot().buckets.anthropic.inputTokens.remaining).toBe(100_000 - 2100);
    const second = (await rawPost(url, body, KEY)).json() as { usage: Record<string, number> };
    expect(second.usage).toMatchObject({ input_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 2000 });
    expect(running.snapshot().buckets.anthropic.inputTokens.remaining).toBe(100_000 - 2100 - 100);
  });

  it('reserves max_tokens against OTPM up front (and refunds the unused part), or counts generated tokens', async () => {
    const { url, sim: running } = await start({ anthropic: { rpm: 100, itpm: 100_000, otpm: 1000, otpmMode: 'reserve-max-tokens' }, output: { minTokens: 10, maxTokens: 10 } });
    const tooMuch = await rawPost(url, anthropicBody({ max_tokens: 1200 }), KEY);
    expect(tooMuch.status).toBe(429);
    expect((tooMuch.json() as { error: { message: string } }).error.message).toContain('1,000 output tokens per minute');
    const ok = await rawPost(url, anthropicBody({ max_tokens: 800 }), KEY);
    expect(ok.status).toBe(200);
    // 800 reserved, 10 generated: 790 came back.
    expect(running.snapshot().buckets.anthropic.outputTokens.remaining).toBe(990);

    running.control.update({ anthropic: { otpmMode: 'count-generated' } });
    running.control.reset();
    const counted = await rawPost(url, anthropicBody({ max_tokens: 1200 }), KEY);
    expect(counted.status).toBe(200);
    expect(running.snapshot().buckets.anthropic.outputTokens.remaining).toBe(990);
  });

  it('refuses a sharp jump in request rate when the acceleration limit is on', async () => {
    const { url, clock } = await start({ anthropic: { rpm: 10_000, acceleration: { floorPerSecond: 2, factor: 2 } } });
    expect((await rawPost(url, anthropicBody(), KEY)).status).toBe(200);
    expect((await rawPost(url, anthropicBody(), KEY)).status).toBe(200);
    const refused = await rawPost(url, anthropicBody(), KEY);
    expect(refused.status).toBe(429);
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(/ramp up/);
    clock.advance(1000);
    expect((await rawPost(url, anthropicBody(), KEY)).status).toBe(200);
  });

  it('switches the spend limit on: a 429 with details.error_code enforced_spend_limit_reached', async () => {
    const { url, sim: running } = await start({ behaviour: { quotaExhausted: true } });
    const refused = await rawPost(url, anthropicBody(), KEY);
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } } });
    expect(refused.headers['retry-after']).toBeUndefined();
    running.control.update({ behaviour: { quotaExhausted: false } });
    expect((await rawPost(url, anthropicBody(), KEY)).status).toBe(200);
  });
});
