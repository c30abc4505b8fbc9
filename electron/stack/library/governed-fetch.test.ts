import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../providers/simulator/simulator';
import { createGovernedFetch, type GovernedFetch } from './governed-fetch';

/**
 * The governed fetch inside the official SDKs, against the built-in simulator over real HTTP: answers,
 * streams and their usage, and a 429 storm where the SDKs' own retries are off and the one loop paces.
 */
let sim: RunningSimulator;
const opened: GovernedFetch[] = [];
beforeAll(async () => {
  sim = await startSimulator({ seed: 7 });
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  for (const governed of opened.splice(0)) await governed.close();
  sim.control.reset();
  sim.control.update({ openai: { rpm: 600, tpm: 200_000 }, anthropic: { rpm: 600 } });
});

function governedFor(provider: 'openai' | 'anthropic', name = `test.${provider}`): GovernedFetch {
  const governed = createGovernedFetch({ provider, name, retry: { baseMs: 20, capMs: 200 } });
  opened.push(governed);
  return governed;
}

const openai = (fetch: GovernedFetch | undefined, maxRetries = 0, apiKey = 'sk-sim-governed-test') =>
  new OpenAI({ apiKey, baseURL: sim.openaiBaseUrl, maxRetries, ...(fetch ? { fetch } : {}) });
const anthropic = (fetch: GovernedFetch, apiKey = 'sk-ant-sim-governed-test') => new Anthropic({ apiKey, baseURL: sim.anthropicBaseUrl, maxRetries: 0, fetch });

describe('createGovernedFetch with the official OpenAI SDK', () => {
  it('answers through the limiter, learns the limits from headers and reconciles the usage of the answer', async () => {
    const governed = governedFor('openai');
    const completion = await openai(governed).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello.' }] });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    const stats = governed.stats();
    expect(stats).toMatchObject({ calls: 1, attempts: 1, retries: 0, http429: 0 });
    expect(stats.usageFrom.response).toBe(1);
    expect(stats.lastUsage).toMatchObject({ inputTokens: completion.usage!.prompt_tokens, outputTokens: completion.usage!.completion_tokens });
    const snapshot = governed.limiters()[0]!.snapshot();
    // Nothing was configured: both buckets come from the simulator's x-ratelimit-* headers.
    expect(snapshot.buckets.map((bucket) => [bucket.name, bucket.source])).toEqual([
      ['requests', 'headers'],
      ['tokens', 'headers'],
    ]);
    expect(snapshot.buckets.every((bucket) => bucket.capacity > 0)).toBe(true);
  });

  it('streams, and settles on the usage of the stream end event', async () => {
    const governed = governedFor('openai');
    const stream = await openai(governed).chat.completions.create({
      model: 'gpt-4o-mini',
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream something.' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage).toBeTruthy();
    expect(governed.stats().usageFrom['stream-end']).toBe(1);
    expect(governed.stats().lastUsage).toMatchObject({ inputTokens: usage!.prompt_tokens, outputTokens: usage!.completion_tokens });
  });

  it('settles a stream that reports no usage on the estimate of what it streamed', async () => {
    const governed = governedFor('openai');
    const stream = await openai(governed).chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'Stream.' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(governed.stats().usageFrom.estimate).toBe(1);
    expect(governed.stats().lastUsage?.outputTokens).toBe(Math.ceil(text.length / 4));
  });

  it('gives each API key its own limiter (a hash of the key names it, never the key)', async () => {
    const governed = governedFor('openai', 'keys');
    await openai(governed, 0, 'sk-first-key-aaaaaaaa').chat.completions.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'a' }] });
    await openai(governed, 0, 'sk-second-key-bbbbbbb').chat.completions.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'b' }] });
    const names = governed.limiters().map((limiter) => limiter.name);
    expect(names).toHaveLength(2);
    expect(names[0]).toBe('keys');
    expect(names[1]).toMatch(/^keys#[0-9a-f]{6}$/);
    expect(JSON.stringify(governed.limiters().map((limiter) => limiter.snapshot()))).not.toMatch(/sk-(first|second)/);
  });
});

describe('createGovernedFetch with the official Anthropic SDK', () => {
  it('answers and reconciles the usage of the message', async () => {
    const governed = governedFor('anthropic');
    const message = await anthropic(governed).messages.create({ model: 'claude-simulated', max_tokens: 64, messages: [{ role: 'user', content: 'Hello.' }] });
    expect(message.content[0]?.type).toBe('text');
    expect(governed.stats().usageFrom.response).toBe(1);
    expect(governed.stats().lastUsage).toMatchObject({ inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens });
    expect(governed.limiters()[0]!.snapshot().buckets.map((bucket) => bucket.name).sort()).toEqual(['input-tokens', 'output-tokens', 'requests']);
  });

  it('streams, and settles on message_start + message_delta usage', async () => {
    const governed = governedFor('anthropic');
    const stream = anthropic(governed).messages.stream({ model: 'claude-simulated', max_tokens: 64, messages: [{ role: 'user', content: 'Stream.' }] });
    const final = await stream.finalMessage();
    expect(governed.stats().usageFrom['stream-end']).toBe(1);
    expect(governed.stats().lastUsage).toMatchObject({ inputTokens: final.usage.input_tokens, outputTokens: final.usage.output_tokens });
  });
});

describe('a 429 storm', () => {
  /** Spends the simulator's OpenAI request budget from outside (another process on the same key). */
  async function drainOpenAI(): Promise<void> {
    sim.control.update({ openai: { rpm: 120, tpm: 1_000_000 } });
    const spend = openai(undefined, 0, 'sk-someone-else');
    // Until the simulator refuses: how long that takes depends on the machine, an empty bucket does not.
    for (let i = 0; i < 1000; i++) {
      const refused = await spend.chat.completions.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).then(
        () => false,
        (error: unknown) => error instanceof OpenAI.RateLimitError,
      );
      if (refused) return;
    }
    throw new Error('the simulator never answered 429 while its budget was spent');
  }
  const ask = (client: OpenAI) => client.chat.completions.create({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'q' }] });
  const rateLimited = () => sim.snapshot().counters.rateLimited;

  it('governed: SDK retries off, one pause for everyone and one retry loop; every call succeeds', async () => {
    const governed = governedFor('openai', 'storm');
    const client = openai(governed);
    await ask(client); // learns the limits from headers
    await drainOpenAI();
    const before = rateLimited();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => ask(client)));
    const http429 = rateLimited() - before;
    const detail = JSON.stringify({ http429, stats: governed.stats(), failures: results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)) });
    expect(results.every((result) => result.status === 'fulfilled'), detail).toBe(true);
    // Each call met at most its first 429; after the pause the limiter paced the retries under the limit.
    expect(http429, detail).toBeLessThanOrEqual(6);
    expect(governed.stats().http429).toBe(http429);
    expect(governed.stats().attempts, detail).toBeLessThanOrEqual(1 + 6 + http429);
    expect(governed.limiters()[0]!.snapshot().pauses).toBeGreaterThanOrEqual(1);
  });

  it('ungoverned: each SDK retries on its own and meets more 429s than the governed run', async () => {
    const client = openai(undefined, 3);
    await drainOpenAI();
    const before = rateLimited();
    await Promise.allSettled(Array.from({ length: 6 }, () => ask(client)));
    expect(rateLimited() - before).toBeGreaterThan(6);
  });
});
