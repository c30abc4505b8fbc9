import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock/clock';
import { ManualClock } from '../clock/manual-clock';
import { naiveRetries, type CallOutcome, type ProviderGovernor } from './call-pipeline';
import { BoundApiKey } from './bound-api-key';
import { createProviderClient, type ProviderClient } from './provider-client';
import { isProviderError, type ProviderError } from './provider-error';
import type { ChatRequest } from './provider-types';
import { startSimulator, type RunningSimulator } from './simulator/simulator';
import { until } from './testing/test-support';

const KEY = 'sk-test-abcdefghijklmnopqrstuvwxyz';
const ask: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is a pool?' }], maxTokens: 32 };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (isProviderError(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('provider clients against the simulator', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const sim = async (options: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> => {
    const s = await startSimulator({ clock: new ManualClock(), adminToken: null, ...options });
    cleanups.push(() => s.stop());
    return s;
  };
  /** A client whose (test) key is bound to the base URL it is given. */
  const client = (options: Omit<Parameters<typeof createProviderClient>[0], 'apiKey' | 'baseUrl'> & { baseUrl: string; apiKey: string }): ProviderClient => {
    const c = createProviderClient({ ...options, apiKey: BoundApiKey.explicit(options.provider, options.apiKey, options.baseUrl) });
    cleanups.push(() => c.close({ destroy: true }));
    return c;
  };

  it('calls OpenAI mode with and without /v1 in the base URL, streaming and not', async () => {
    const s = await sim({ settings: { output: { minTokens: 10, maxTokens: 10 } } });
    for (const baseUrl of [s.url, s.openaiBaseUrl]) {
      const c = client({ provider: 'openai', baseUrl, apiKey: KEY });
      const plain = await c.chat(ask);
      expect(plain).toMatchObject({ status: 200, finishReason: 'stop', attempts: 1, usage: { inputTokens: 6, outputTokens: 10, cacheReadTokens: 0, cacheCreationTokens: 0 } });
      expect(plain.text.length).toBe(40);
      expect(plain.headers['x-ratelimit-limit-requests']).toBe('600');
      const pieces: string[] = [];
      const streamed = await c.chat({ ...ask, stream: true }, { onText: (delta) => pieces.push(delta) });
      expect(streamed.text).toBe(pieces.join(''));
      expect(streamed.usage).toMatchObject({ inputTokens: 6, outputTokens: 10 });
      expect(streamed.timings.firstTokenMs).not.toBeNull();
    }
  });

  it('calls Anthropic mode: system prompt moved to `system`, usage with cache fields, streaming', async () => {
    const s = await sim({ settings: { output: { minTokens: 8, maxTokens: 8 } } });
    const c = client({ provider: 'anthropic', baseUrl: s.anthropicBaseUrl, apiKey: 'sk-ant-test-key-1234567890' });
    const plain = await c.chat({ ...ask, model: 'claude-haiku-4-5' });
    expect(plain).toMatchObject({ status: 200, finishReason: 'end_turn', usage: { inputTokens: 6, outputTokens: 8, cacheReadTokens: 0, cacheCreationTokens: 0 } });
    expect(plain.requestId).toMatch(/^req_/);
    const streamed = await c.chat({ ...ask, model: 'claude-haiku-4-5', stream: true, maxTokens: 5 });
    expect(streamed).toMatchObject({ finishReason: 'max_tokens', usage: { inputTokens: 6, outputTokens: 5 } });
  });

  it('classifies simulator 429s as retryable with the wait from each source', async () => {
    const s = await sim({ settings: { openai: { rpm: 1 } } });
    const c = client({ provider: 'openai', baseUrl: s.openaiBaseUrl, apiKey: KEY });
    await c.chat(ask);
    const limited = await failure(c.chat(ask));
    expect(limited).toMatchObject({ kind: 'rate_limited', retryable: true, status: 429, providerType: 'requests', retryAfterMs: 120_000 });
    expect(limited.headers['x-ratelimit-remaining-requests']).toBe('0');
    s.control.update({ behaviour: { retryAfterHeaders: false } });
    const fromText = await failure(c.chat(ask));
    // "Please try again in 2m0s": refusals count, but the debt stops at one minute's worth of requests.
    expect(fromText.retryAfterMs).toBe(120_000);
    expect(fromText.headers['retry-after']).toBeUndefined();
    s.control.update({ behaviour: { quotaExhausted: true } });
    expect(await failure(c.chat(ask))).toMatchObject({ kind: 'quota_exhausted', retryable: false });
    s.control.update({ behaviour: { quotaExhausted: false }, openai: { rpm: 1000, tpm: 100 } });
    expect(await failure(c.chat({ ...ask, maxTokens: 101 }))).toMatchObject({ kind: 'request_too_large', retryable: false });
  });

  it('reads retry-after in seconds and as an HTTP date, and honours x-should-retry', async () => {
    const replies: { status: number; headers: Record<string, string>; body: string }[] = [];
    const server: Server = createServer((_req, res) => {
      const reply = replies.shift() ?? { status: 500, headers: {}, body: '{}' };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const c = client({ provider: 'openai', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: KEY, clock });
    const body = JSON.stringify({ error: { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' } });
    replies.push({ status: 429, headers: { 'retry-after': '3' }, body });
    expect((await failure(c.chat(ask))).retryAfterMs).toBe(3000);
    replies.push({ status: 429, headers: { 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }, body });
    expect((await failure(c.chat(ask))).retryAfterMs).toBe(5000);
    replies.push({ status: 503, headers: { 'x-should-retry': 'false' }, body: '{}' });
    expect((await failure(c.chat(ask))).retryable).toBe(false);
    replies.push({ status: 400, headers: { 'x-should-retry': 'true' }, body: '{}' });
    expect((await failure(c.chat(ask))).retryable).toBe(true);
    // A server that echoes the key back: it is masked in the error message.
    replies.push({ status: 401, headers: {}, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error' } }) });
    const auth = await failure(c.chat(ask));
    expect(auth.kind).toBe('auth');
    expect(auth.message).not.toContain(KEY.slice(8));
    expect(JSON.stringify(c.snapshot())).not.toContain(KEY.slice(8));
  });

  it('classifies 529, 500, resets and mid-stream errors as retryable', async () => {
    const s = await sim({ settings: { output: { minTokens: 10, maxTokens: 10 } } });
    const anthropic = client({ provider: 'anthropic', baseUrl: s.url, apiKey: 'sk-ant-test-key-1234567890' });
    const openai = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY });
    s.control.setFault({ kind: 'overload' });
    expect(await failure(anthropic.chat(ask))).toMatchObject({ kind: 'overloaded', status: 529, retryable: true, providerWide: true, providerType: 'overloaded_error' });
    s.control.clearFault();
    s.control.setFault({ kind: 'server-error', status: 503 });
    expect(await failure(openai.chat(ask))).toMatchObject({ kind: 'server_error', status: 503, retryable: true });
    s.control.clearFault();
    s.control.setFault({ kind: 'reset' });
    expect(await failure(openai.chat(ask))).toMatchObject({ kind: 'connection', status: null, retryable: true });
    s.control.clearFault();
    s.control.setFault({ kind: 'stream-error' });
    const seen: string[] = [];
    const mid = await failure(anthropic.chat({ ...ask, stream: true }, { onText: (t) => seen.push(t) }));
    expect(mid).toMatchObject({ kind: 'overloaded', midStream: true, status: 200, retryable: true });
    expect(seen).toHaveLength(5);
    expect(await failure(openai.chat({ ...ask, stream: true }))).toMatchObject({ kind: 'server_error', midStream: true, retryable: true });
  });

  it('times out a hung provider (headers timeout) and a stalled stream (body timeout)', async () => {
    const s = await sim();
    const c = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY, headersTimeoutMs: 100 });
    s.control.setFault({ kind: 'hang' });
    expect(await failure(c.chat(ask))).toMatchObject({ kind: 'timeout', retryable: true, status: null });
    s.control.clearFault();
    // Real clock: a 1 s per-token stream stalls longer than the 100 ms body timeout.
    const slow = await startSimulator({ clock: systemClock, adminToken: null, settings: { latency: { perTokenMs: 1000 } } });
    cleanups.push(() => slow.stop());
    const c2 = client({ provider: 'openai', baseUrl: slow.url, apiKey: KEY, bodyTimeoutMs: 100 });
    expect(await failure(c2.chat({ ...ask, stream: true }))).toMatchObject({ kind: 'timeout', retryable: true, midStream: true });
    await until(() => c2.snapshot().pool.running === 0, 'the timed-out request has left the pool');
  });

  it('aborting mid-stream releases the connection: the pool of one serves the next call', async () => {
    const s = await startSimulator({ clock: systemClock, adminToken: null, settings: { latency: { perTokenMs: 50 }, output: { minTokens: 200, maxTokens: 200 } } });
    cleanups.push(() => s.stop());
    const c = client({ provider: 'anthropic', baseUrl: s.url, apiKey: 'sk-ant-test-key-1234567890', pool: { connections: 1 } });
    const controller = new AbortController();
    const aborted = failure(c.chat({ ...ask, stream: true, maxTokens: 200 }, { signal: controller.signal, onText: () => controller.abort(new Error('user pressed stop')) }));
    const error = await aborted;
    expect(error.kind).toBe('aborted');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('user pressed stop');
    await until(() => c.snapshot().pool.running === 0, 'the aborted request has left the pool');
    await until(() => s.snapshot().counters.inFlight === 0, 'the simulator saw the client leave');
    expect(s.snapshot().counters.clientAborts).toBe(1);
    s.control.update({ latency: { perTokenMs: 0 } });
    const next = await c.chat({ ...ask, maxTokens: 5 });
    expect(next.status).toBe(200);
    expect(c.snapshot().pool.maxConnections).toBe(1);
  });

  it('never opens more connections than the pool allows, however many calls run', async () => {
    const s = await startSimulator({ clock: systemClock, adminToken: null, settings: { latency: { baseMs: 5 }, openai: { rpm: 0, tpm: 0 } } });
    cleanups.push(() => s.stop());
    const c = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY, pool: { connections: 3 } });
    const results = await Promise.all(Array.from({ length: 30 }, () => c.chat(ask)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(s.snapshot().counters.maxOpenConnections).toBeLessThanOrEqual(3);
    expect(c.snapshot().calls).toMatchObject({ started: 30, succeeded: 30, inFlight: 0 });
  });

  it('passes through a governor: acquire before each attempt, settle with status, headers and usage', async () => {
    const s = await sim();
    const settled: CallOutcome[] = [];
    const estimates: number[] = [];
    const governor: ProviderGovernor = {
      acquire: async (estimate) => {
        estimates.push(estimate.openaiChargedTokens);
        return { settle: (outcome) => settled.push(outcome) };
      },
    };
    const c = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY, governor });
    await c.chat({ ...ask, maxTokens: 40, n: 2 });
    expect(estimates).toEqual([80]);
    expect(settled[0]).toMatchObject({ ok: true, status: 200, usage: { inputTokens: 6 } });
    expect((settled[0] as { headers: Record<string, string> }).headers['x-ratelimit-remaining-tokens']).toBe(String(200_000 - 80));
    s.control.setFault({ kind: 'server-error' });
    await failure(c.chat(ask));
    expect(settled[1]).toMatchObject({ ok: false, error: { kind: 'server_error', status: 500 } });
    expect(c.snapshot().governed).toBe(true);
  });

  it('ungoverned with naive retries: immediate retries turn a tight limit into a 429 storm', async () => {
    const s = await sim({ settings: { openai: { rpm: 5 } } });
    const statuses: (number | null)[] = [];
    const c = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY, retry: naiveRetries(3), onAttempt: (e) => statuses.push(e.status) });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => c.chat(ask)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    // 5 callers failed 4 times each (1 try + 3 immediate retries), each one a 429.
    expect(statuses.filter((code) => code === 429)).toHaveLength(20);
    expect(s.snapshot().counters.rateLimited).toBe(20);
    expect(c.snapshot()).toMatchObject({ attempts: 25, retries: 15, errorsByKind: { rate_limited: 5 } });
  });

  it('rejects a malformed request before sending, naming the fields', async () => {
    const s = await sim();
    const c = client({ provider: 'openai', baseUrl: s.url, apiKey: KEY });
    await expect(c.chat({ model: '', messages: [], maxTokens: 0 })).rejects.toThrow(/model must be a non-empty string; messages must have at least one message; maxTokens/);
    expect(s.snapshot().counters.requests).toBe(0);
  });
});
