import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { AbortError, TimeoutError } from '../../concurrency/errors';
import { flushMicrotasks } from '../../concurrency/testing/seeded-random';
import { classifyHttpError } from '../../providers/classify-error';
import { type ProviderError } from '../../providers/provider-error';
import type { ProviderName } from '../../providers/provider-types';
import { ProviderLimiter } from './provider-limiter';

const NO_SCRUB = (text: string): string => text;

function httpError(clock: ManualClock, provider: ProviderName, status: number, headers: Record<string, string>, body: unknown): ProviderError {
  return classifyHttpError(provider, status, headers, JSON.stringify(body), clock.now(), NO_SCRUB);
}

function levels(limiter: ProviderLimiter): Record<string, number> {
  return Object.fromEntries(limiter.snapshot().buckets.map((bucket) => [bucket.name, bucket.available]));
}

function settleState(promise: Promise<unknown>): { done: boolean; error?: unknown } {
  const state: { done: boolean; error?: unknown } = { done: false };
  promise.then(
    () => (state.done = true),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('ProviderLimiter (OpenAI)', () => {
  it('charges max(max_tokens × n, prompt estimate) up front and refunds the unused part on reconcile', async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 } });
    const reservation = await limiter.reserve({ estimatedInputTokens: 300, maxOutputTokens: 1000 });
    expect(reservation.reserved).toEqual({ requests: 1, tokens: 1000 });
    expect(levels(limiter)).toEqual({ requests: 59, tokens: 9000 });
    reservation.reconcile({ inputTokens: 280, outputTokens: 120, cacheReadTokens: 0, cacheCreationTokens: 0 });
    await flushMicrotasks();
    expect(levels(limiter)).toEqual({ requests: 59, tokens: 9600 });
    reservation.reconcile({ inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheCreationTokens: 0 }); // settled once only
    await flushMicrotasks();
    expect(levels(limiter).tokens).toBe(9600);
  });

  it('rejects a request larger than the whole TPM limit locally ("Request too large"), without queueing', async () => {
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock: new ManualClock(), limits: { tokensPerMinute: 4000 } });
    const rejection = limiter.reserve({ estimatedInputTokens: 5000, maxOutputTokens: 100 });
    await expect(rejection).rejects.toMatchObject({ kind: 'request_too_large', retryable: false });
    expect(limiter.queued).toBe(0);
    expect(limiter.snapshot().rejected).toBe(1);
  });

  it('learns unknown limits from x-ratelimit-* headers (Go durations) and lowers buckets to `remaining`', () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
    expect(limiter.snapshot().buckets).toEqual([]);
    limiter.observeHeaders({
      'x-ratelimit-limit-requests': '5000',
      'x-ratelimit-limit-tokens': '160000',
      'x-ratelimit-remaining-requests': '4999',
      'x-ratelimit-remaining-tokens': '159411',
      'x-ratelimit-reset-requests': '12ms',
      'x-ratelimit-reset-tokens': '220ms',
    });
    const [requests, tokens] = limiter.snapshot().buckets;
    // Capacity is the effective burst: at least what `remaining` showed (effective-burst.ts).
    expect(requests).toMatchObject({ name: 'requests', capacity: 4999, available: 4999, source: 'headers', resetAt: clock.now() + 12 });
    expect(requests!.refillPerSec).toBeCloseTo(5000 / 60, 3);
    expect(tokens).toMatchObject({ name: 'tokens', capacity: 159_411, available: 159_411, resetAt: clock.now() + 220 });
  });

  it('reads every reset format OpenAI sends (Go durations: 1s, 6m0s, 12ms, 4m12.172s, 23h18m29.144s)', () => {
    const clock = new ManualClock();
    const samples: Array<[string, number]> = [
      ['1s', 1000],
      ['6m0s', 360_000],
      ['12ms', 12],
      ['4m12.172s', 252_172],
      ['23h18m29.144s', 83_909_144],
    ];
    for (const [text, ms] of samples) {
      const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
      limiter.observeHeaders({ 'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '30000', 'x-ratelimit-reset-tokens': text });
      expect(limiter.snapshot().buckets[0]!.resetAt! - clock.now()).toBeCloseTo(ms, 6);
    }
    // Absent or garbled headers change nothing.
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { tokensPerMinute: 1000 } });
    limiter.observeHeaders({ 'x-ratelimit-reset-tokens': 'soon', 'x-ratelimit-remaining-tokens': 'lots' });
    limiter.observeHeaders({});
    expect(limiter.snapshot().buckets).toEqual([expect.objectContaining({ name: 'tokens', capacity: 1000, available: 1000, resetAt: null })]);
  });

  it('recognises a daily limit from a long reset and refills at the observed, slower rate', () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'openai-free', provider: 'openai', clock });
    limiter.observeHeaders({ 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '9000', 'x-ratelimit-reset-requests': '23h18m29.144s' });
    const requests = limiter.snapshot().buckets[0]!;
    // 1000 requests take 23 h 18 m 29.144 s to come back: ≈ 0.0119 per second, not 10000/60.
    expect(requests.refillPerSec).toBeCloseTo(1000 / 83_909.144, 3);
  });

  it('pauses the whole limiter on a 429 for the "try again in" time and then admits in order', async () => {
    const clock = new ManualClock();
    // Nothing is settled here: without this the first call would go alone (first-call-probe.ts).
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { requestsPerMinute: 600, tokensPerMinute: 1_000_000 }, probeFirstCall: false });
    const error = httpError(clock, 'openai', 429, {}, {
      error: { message: 'Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested 1500. Please try again in 9.816s.', type: 'tokens', param: null, code: 'rate_limit_exceeded' },
    });
    expect(error.retryAfterMs).toBe(9816);
    limiter.observeError(error);
    const snapshot = limiter.snapshot();
    expect(snapshot.http429).toBe(1);
    expect(snapshot.pausedUntil).toBe(clock.now() + 9816);
    expect(snapshot.pauseReason).toContain('9.816 s');
    const first = settleState(limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }));
    const second = settleState(limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }));
    await clock.advanceAsync(9815);
    expect(first.done || second.done).toBe(false);
    await clock.advanceAsync(1);
    // The tokens bucket was emptied by the 429 ("type": "tokens"); 9.816 s of refill at 1M/min covers both.
    expect(first.done && second.done).toBe(true);
  });

  it('honours retry-after-ms, retry-after seconds and retry-after as an HTTP date', () => {
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const body = { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } };
    expect(httpError(clock, 'openai', 429, { 'retry-after-ms': '1500', 'retry-after': '2' }, body).retryAfterMs).toBe(1500);
    expect(httpError(clock, 'openai', 429, { 'retry-after': '20' }, body).retryAfterMs).toBe(20_000);
    expect(httpError(clock, 'openai', 429, { 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' }, body).retryAfterMs).toBe(7000);
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
    limiter.observeError(httpError(clock, 'openai', 429, { 'retry-after': 'Sun, 01 Mar 2026 12:00:07 GMT' }, body));
    expect(limiter.snapshot().pausedUntil).toBe(clock.now() + 7000);
  });

  it('classifies insufficient_quota and "Request too large" as not retryable and does not pause for them', () => {
    const clock = new ManualClock();
    const quota = httpError(clock, 'openai', 429, {}, { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
    const tooLarge = httpError(clock, 'openai', 429, {}, {
      error: { message: 'Request too large for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Requested 45000.', type: 'tokens', param: null, code: 'rate_limit_exceeded' },
    });
    expect(quota).toMatchObject({ kind: 'quota_exhausted', retryable: false });
    expect(tooLarge).toMatchObject({ kind: 'request_too_large', retryable: false });
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
    limiter.observeError(quota);
    limiter.observeError(tooLarge);
    expect(limiter.snapshot()).toMatchObject({ pausedUntil: null, http429: 0 });
    expect(limiter.snapshot().lastError).toContain('Request too large');
  });

  it('observeResponse classifies a raw error response and reacts to it', () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
    const body = JSON.stringify({ error: { message: 'Please try again in 120ms.', type: 'requests', code: 'rate_limit_exceeded' } });
    const error = limiter.observeResponse(429, { 'X-RateLimit-Remaining-Requests': '0', 'X-RateLimit-Limit-Requests': '60' }, body);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 120 });
    expect(limiter.snapshot()).toMatchObject({ http429: 1, pausedUntil: clock.now() + 120 });
    // All it knows of the burst is "nothing left": it assumes the smallest, one second's worth.
    expect(limiter.snapshot().buckets[0]).toMatchObject({ name: 'requests', capacity: 1, available: 0 });
    expect(limiter.observeResponse(200, { 'x-ratelimit-remaining-requests': '0' })).toBeNull();
  });

  it('aborting or timing out a waiting reservation takes no tokens', async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { requestsPerMinute: 1, tokensPerMinute: 1000 } });
    const held = await limiter.reserve({ estimatedInputTokens: 100, maxOutputTokens: 100 });
    const controller = new AbortController();
    const aborted = settleState(limiter.reserve({ estimatedInputTokens: 500, maxOutputTokens: 500, signal: controller.signal }));
    const timedOut = settleState(limiter.reserve({ estimatedInputTokens: 500, maxOutputTokens: 500, timeoutMs: 1000 }));
    controller.abort();
    await clock.advanceAsync(1000);
    expect(aborted.error).toBeInstanceOf(AbortError);
    expect(timedOut.error).toBeInstanceOf(TimeoutError);
    expect(limiter.queued).toBe(0);
    held.cancel(); // never sent: everything back
    await flushMicrotasks();
    const after = levels(limiter);
    expect(after.requests).toBeCloseTo(1, 5);
    expect(after.tokens).toBeCloseTo(1000, 5);
  });
});

describe('ProviderLimiter (Anthropic)', () => {
  const anthropicHeaders = (clock: ManualClock): Record<string, string> => ({
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '49',
    'anthropic-ratelimit-requests-reset': new Date(clock.now() + 1200).toISOString(),
    'anthropic-ratelimit-input-tokens-limit': '40000',
    'anthropic-ratelimit-input-tokens-remaining': '37000',
    'anthropic-ratelimit-input-tokens-reset': new Date(clock.now() + 4500).toISOString(),
    'anthropic-ratelimit-output-tokens-limit': '8000',
    'anthropic-ratelimit-output-tokens-remaining': '8000',
    'anthropic-ratelimit-output-tokens-reset': new Date(clock.now()).toISOString(),
    'anthropic-ratelimit-tokens-limit': '48000',
    'anthropic-ratelimit-tokens-remaining': '45000',
    'anthropic-ratelimit-tokens-reset': new Date(clock.now() + 4500).toISOString(),
  });

  it('learns RPM/ITPM/OTPM from anthropic-ratelimit-* headers (RFC 3339 resets), allowing for rounded remaining', () => {
    const clock = new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock, rampUp: false });
    limiter.observeHeaders(anthropicHeaders(clock));
    const buckets = Object.fromEntries(limiter.snapshot().buckets.map((bucket) => [bucket.name, bucket]));
    expect(buckets.requests).toMatchObject({ capacity: 49, available: 49, resetAt: clock.now() + 1200 });
    // 37000 is rounded to the nearest thousand: up to 500 fewer may be left (and the burst is at least that).
    expect(buckets['input-tokens']).toMatchObject({ capacity: 36_500, available: 36_500, resetAt: clock.now() + 4500 });
    expect(buckets['output-tokens']).toMatchObject({ capacity: 8000, available: 8000 });
    expect(limiter.snapshot().nextResetAt).toBe(clock.now() + 1200);
  });

  it('does not count cache reads against input tokens when reconciling', async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock, rampUp: false, limits: { requestsPerMinute: 50, inputTokensPerMinute: 40_000, outputTokensPerMinute: 8000 } });
    const reservation = await limiter.reserve({ estimatedInputTokens: 5000, maxOutputTokens: 1000 });
    expect(levels(limiter)).toEqual({ requests: 49, 'input-tokens': 35_000, 'output-tokens': 7000 });
    reservation.reconcile({ inputTokens: 1200, outputTokens: 300, cacheReadTokens: 3500, cacheCreationTokens: 400 });
    await flushMicrotasks();
    // Input counted: 1200 + 400 creation (reads free); output: 300 generated.
    expect(levels(limiter)).toEqual({ requests: 49, 'input-tokens': 38_400, 'output-tokens': 7700 });
  });

  it('backs everyone off exponentially on 529 overloaded_error and resets after a success', () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock, rampUp: false, random: () => 1, overloadBackoff: { baseMs: 1000, capMs: 8000 } });
    const overloaded = (): ProviderError => httpError(clock, 'anthropic', 529, {}, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' });
    const pauses: number[] = [];
    for (let i = 0; i < 5; i++) {
      limiter.observeError(overloaded());
      pauses.push(limiter.snapshot().pausedUntil! - clock.now());
      clock.advance(pauses.at(-1)!);
    }
    expect(pauses).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(limiter.snapshot().http529).toBe(5);
    limiter.observeHeaders({}, 200);
    limiter.observeError(overloaded());
    expect(limiter.snapshot().pausedUntil! - clock.now()).toBe(1000);
  });

  it('treats the spend-limit 429 as not retryable and does not pause for it', () => {
    const clock = new ManualClock();
    const error = httpError(clock, 'anthropic', 429, { 'retry-after': '30' }, {
      type: 'error',
      error: { type: 'rate_limit_error', message: 'You have reached your specified API usage limits.', details: { error_code: 'enforced_spend_limit_reached' } },
    });
    expect(error).toMatchObject({ kind: 'quota_exhausted', retryable: false });
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock });
    limiter.observeError(error);
    expect(limiter.snapshot().pausedUntil).toBeNull();
  });

  it('pauses on a rate_limit_error 429 with retry-after', () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock });
    limiter.observeError(httpError(clock, 'anthropic', 429, { 'retry-after': '12' }, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }));
    expect(limiter.snapshot()).toMatchObject({ http429: 1, pausedUntil: clock.now() + 12_000 });
  });

  it('ramps up after idle: only a quarter of a bucket at first, the whole of it after the ramp', async () => {
    const clock = new ManualClock();
    const limiter = new ProviderLimiter({
      name: 'anthropic',
      provider: 'anthropic',
      clock,
      limits: { requestsPerMinute: 40, inputTokensPerMinute: 1_000_000, outputTokensPerMinute: 1_000_000 },
      rampUp: { idleMs: 60_000, startFraction: 0.25, durationMs: 30_000 },
      probeFirstCall: false,
    });
    let admitted = 0;
    for (let i = 0; i < 40; i++) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }).then(() => (admitted += 1));
    await clock.advanceAsync(0);
    expect(admitted).toBe(10); // 25 % of 40 requests at once, not the whole burst
    expect(limiter.snapshot().rampFactor).toBeCloseTo(0.25);
    await clock.advanceAsync(30_000);
    expect(limiter.snapshot().rampFactor).toBeNull();
    // 30 s more: 20 requests of refill plus the 30 held back — all 40 through by now.
    expect(admitted).toBe(40);
  });
});
