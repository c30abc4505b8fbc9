import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { anthropicBody, openAIBody, rawPost, splitSse } from '../testing/test-support';
import { startSimulator, type RunningSimulator } from './simulator';

describe('simulator: streaming formats', () => {
  let sim: RunningSimulator | undefined;
  afterEach(async () => sim?.stop());

  it('streams OpenAI chat.completion.chunk lines, a usage chunk when asked, then [DONE]', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null, settings: { output: { minTokens: 12, maxTokens: 12 } } });
    const r = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody({ stream: true, stream_options: { include_usage: true } }));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = splitSse(r.text);
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.data) as { object: string; choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[]; usage: unknown });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 12, total_tokens: 15 });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const finish = chunks.at(-2)?.choices[0];
    expect(finish?.finish_reason).toBe('stop');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.length).toBe(48); // 12 tokens × 4 characters
  });

  it('leaves the usage chunk out without stream_options.include_usage', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null });
    const r = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody({ stream: true }));
    const chunks = splitSse(r.text).slice(0, -1).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('streams Anthropic events in order with usage in message_start and message_delta', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null, settings: { output: { minTokens: 40, maxTokens: 40 } } });
    const r = await rawPost(`${sim.anthropicBaseUrl}/v1/messages`, anthropicBody({ stream: true, max_tokens: 20 }), { 'x-api-key': 'k-test-1234' });
    expect(r.status).toBe(200);
    const events = splitSse(r.text);
    const names = events.map((e) => e.event);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(names.filter((n) => n === 'content_block_delta')).toHaveLength(20);
    for (const e of events) expect((JSON.parse(e.data) as { type: string }).type).toBe(e.event);
    const start = JSON.parse(events[0]?.data ?? '{}') as { message: { usage: Record<string, number> } };
    expect(start.message.usage).toMatchObject({ input_tokens: 3, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    const delta = JSON.parse(events.at(-2)?.data ?? '{}') as { delta: { stop_reason: string }; usage: { output_tokens: number } };
    expect(delta.delta.stop_reason).toBe('max_tokens');
    expect(delta.usage.output_tokens).toBe(20);
  });

  it('answers n > 1 with one choice per n, charged n × max_tokens', async () => {
    sim = await startSimulator({ clock: new ManualClock(), adminToken: null });
    const r = await rawPost(`${sim.openaiBaseUrl}/chat/completions`, openAIBody({ n: 3, max_tokens: 8 }));
    const body = r.json() as { choices: { index: number }[] };
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(r.headers['x-ratelimit-remaining-tokens']).toBe(String(200_000 - 24));
  });
});
