import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { AbortError } from '../concurrency/errors';
import { flushMicrotasks } from '../concurrency/testing/seeded-random';
import { classifyHttpError } from '../providers/classify-error';
import { RetryLoop } from './retry-loop';

const clockAt = (): ManualClock => new ManualClock(Date.parse('2026-03-01T12:00:00Z'));
const rateLimited = (clock: ManualClock, headers: Record<string, string> = {}) =>
  classifyHttpError('openai', 429, headers, JSON.stringify({ error: { message: 'Rate limit reached. Please try again in 2s.', type: 'requests', code: 'rate_limit_exceeded' } }), clock.now(), (t) => t);

describe('RetryLoop', () => {
  it('retries retryable errors with full-jitter backoff, capped, never sooner than retry-after', () => {
    const loop = new RetryLoop({ baseMs: 500, capMs: 4000, random: () => 0.5 });
    expect([1, 2, 3, 4, 5].map((retry) => loop.delayFor(retry, undefined))).toEqual([250, 500, 1000, 2000, 2000]);
    expect(loop.delayFor(1, 9816)).toBe(9816);
    const zero = new RetryLoop({ random: () => 0 });
    expect(zero.delayFor(3, undefined)).toBe(0); // full jitter reaches down to zero: herds spread out
  });

  it('waits for the provider\'s retry-after, then succeeds', async () => {
    const clock = clockAt();
    const loop = new RetryLoop({ clock, random: () => 0 });
    const attempts: number[] = [];
    const result = loop.run(async (attempt) => {
      attempts.push(clock.now());
      if (attempt === 1) throw rateLimited(clock);
      return 'ok';
    }, undefined);
    await clock.advanceAsync(1999);
    expect(attempts).toHaveLength(1);
    await clock.advanceAsync(1);
    await expect(result).resolves.toBe('ok');
    expect(attempts[1]! - attempts[0]!).toBe(2000);
  });

  it('does not retry insufficient_quota, spend limits or request-too-large', async () => {
    const clock = clockAt();
    const loop = new RetryLoop({ clock });
    const notRetryable = [
      classifyHttpError('openai', 429, {}, JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }), clock.now(), (t) => t),
      classifyHttpError('openai', 429, {}, JSON.stringify({ error: { message: 'Request too large for gpt-4o', type: 'tokens', code: 'rate_limit_exceeded' } }), clock.now(), (t) => t),
      classifyHttpError('anthropic', 429, { 'retry-after': '5' }, JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'limit', details: { error_code: 'enforced_spend_limit_reached' } } }), clock.now(), (t) => t),
    ];
    for (const error of notRetryable) {
      let calls = 0;
      await expect(loop.run(async () => ((calls += 1), Promise.reject(error)), undefined)).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });

  it('gives up after maxAttempts and rethrows the last error', async () => {
    const clock = clockAt();
    const loop = new RetryLoop({ clock, maxAttempts: 3, random: () => 0 });
    let calls = 0;
    const outcome = loop
      .run(async () => {
        calls += 1;
        throw classifyHttpError('openai', 503, {}, 'upstream unavailable', clock.now(), (t) => t);
      }, undefined)
      .catch((error: unknown) => error);
    await clock.advanceAsync(10);
    expect(calls).toBe(3);
    expect(await outcome).toMatchObject({ kind: 'server_error', status: 503 });
  });

  it('stops sleeping at once when the signal aborts', async () => {
    const clock = clockAt();
    const retries: number[] = [];
    const loop = new RetryLoop({ clock, onRetry: ({ delayMs }) => retries.push(delayMs) });
    const controller = new AbortController();
    const outcome = loop.run(() => Promise.reject(rateLimited(clock, { 'retry-after': '60' })), controller.signal).catch((error: unknown) => error);
    await flushMicrotasks();
    expect(retries).toEqual([60_000]);
    controller.abort();
    expect(await outcome).toBeInstanceOf(AbortError);
    expect(clock.pendingTimers).toBe(0);
  });
});
