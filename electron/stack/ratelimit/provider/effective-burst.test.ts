import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { ProviderLimiter } from './provider-limiter';

/**
 * The effective bucket under the manual clock: the burst learned from `remaining`, the refill from the
 * limit, ramp-up measured against the burst, the first call sent alone, limit changes followed.
 */
const START = Date.parse('2026-03-01T12:00:00Z');

/** Anthropic headers of a quantized account: 1,200 RPM / 200k ITPM / 40k OTPM held as 5 s buckets. */
function quantizedAnthropic(clock: ManualClock, remaining: { requests: number; input: number; output: number }, limits = { requests: 1200, input: 200_000, output: 40_000 }): Record<string, string> {
  const reset = new Date(clock.now() + 1000).toISOString();
  return {
    'anthropic-ratelimit-requests-limit': String(limits.requests),
    'anthropic-ratelimit-requests-remaining': String(remaining.requests),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-input-tokens-limit': String(limits.input),
    'anthropic-ratelimit-input-tokens-remaining': String(remaining.input),
    'anthropic-ratelimit-input-tokens-reset': reset,
    'anthropic-ratelimit-output-tokens-limit': String(limits.output),
    'anthropic-ratelimit-output-tokens-remaining': String(remaining.output),
    'anthropic-ratelimit-output-tokens-reset': reset,
  };
}

/** Lets the limiter's admission loop (a few awaits per call) run to its end at the current instant. */
async function drain(clock: ManualClock, ms = 0): Promise<void> {
  await clock.advanceAsync(ms);
  for (let i = 0; i < 50; i++) await clock.advanceAsync(0);
}

function capacities(limiter: ProviderLimiter): Record<string, number> {
  return Object.fromEntries(limiter.snapshot().buckets.map((bucket) => [bucket.name, bucket.capacity]));
}

describe('effective bucket', () => {
  it('learns the burst from the largest `remaining` (Anthropic rounding allowed for) and the refill from the limit', () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock, rampUp: false });
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 90, input: 16_000, output: 3000 }));
    expect(capacities(limiter)).toEqual({ requests: 90, 'input-tokens': 15_500, 'output-tokens': 2500 });
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 99, input: 17_000, output: 0 }));
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 12, input: 2000, output: 1000 }));
    // The largest seen, never the nominal 1,200 / 200,000 / 40,000; the refill is still limit / 60.
    expect(capacities(limiter)).toEqual({ requests: 99, 'input-tokens': 16_500, 'output-tokens': 2500 });
    expect(limiter.snapshot().buckets.map((bucket) => bucket.refillPerSec)).toEqual([20, 3333.333, 666.667]);
  });

  it('follows a limit that changes mid-run: the refill at once, the burst keeping its share of the limit', () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock, rampUp: false });
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 100, input: 16_000, output: 3000 }));
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 3, input: 1000, output: 1000 }, { requests: 600, input: 100_000, output: 20_000 }));
    const [requests, input] = limiter.snapshot().buckets;
    expect(requests).toMatchObject({ capacity: 50, refillPerSec: 10 });
    expect(input).toMatchObject({ capacity: 7750, refillPerSec: 1666.667 });
  });

  it('ramps up after idle against the effective burst: a quarter of it at once, growing gradually, not nothing', async () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'anthropic', provider: 'anthropic', clock }); // the default ramp: 25 % → 100 % over 30 s
    // The provider's requests bucket holds 5 s of 1,200 RPM: 100. Tokens are plentiful here.
    limiter.observeHeaders(quantizedAnthropic(clock, { requests: 100, input: 16_000, output: 3000 }));
    let admitted = 0;
    for (let i = 0; i < 1000; i++) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 5 }).then(() => (admitted += 1), () => undefined);
    await drain(clock);
    // Against the nominal 1,200 the hold-back (900) would exceed what the bucket ever holds: 0 admitted.
    expect(admitted).toBe(25);
    expect(limiter.snapshot().rampFactor).toBeCloseTo(0.25);
    // Growth stays gradual: never more than the ramp's share of the burst plus the refill since the start.
    const admittedAt: number[] = [];
    for (let second = 1; second <= 30; second++) {
      await drain(clock, 1000);
      admittedAt.push(admitted);
      const factor = Math.min(1, 0.25 + (0.75 * second) / 30);
      expect(admitted).toBeLessThanOrEqual(Math.floor(100 * factor + 20 * second) + 1);
      expect(admitted).toBeGreaterThanOrEqual(Math.floor(100 * factor + 20 * second) - 2);
    }
    expect(limiter.snapshot().rampFactor).toBeNull();
    await drain(clock, 20_000); // the refill drains the rest of the queue
    expect(admitted).toBe(1000);
    // Idle for a minute: the ramp starts again from a quarter of the (still learned) burst.
    await drain(clock, 60_000);
    let again = 0;
    for (let i = 0; i < 200; i++) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 5 }).then(() => (again += 1), () => undefined);
    await drain(clock);
    expect(again).toBe(25);
    limiter.close();
  });

  it('sends the first call alone until the provider has described its buckets', async () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { requestsPerMinute: 1200, tokensPerMinute: 1_000_000 } });
    const granted = [] as { reconcile: (usage: null) => void }[];
    for (let i = 0; i < 10; i++) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }).then((reservation) => granted.push(reservation), () => undefined);
    await drain(clock);
    expect(granted.length).toBe(1);
    // Its answer says the bucket holds 100, not 1,200; everyone else now goes against that.
    limiter.observeHeaders({ 'x-ratelimit-limit-requests': '1200', 'x-ratelimit-remaining-requests': '99', 'x-ratelimit-reset-requests': '50ms' });
    granted[0]!.reconcile(null);
    await drain(clock);
    expect(granted.length).toBe(10);
    expect(capacities(limiter).requests).toBe(99);
    limiter.close();
  });

  it('a first call never settled holds the rest back for 30 s at most', async () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock, limits: { requestsPerMinute: 1200, tokensPerMinute: 1_000_000 } });
    let granted = 0;
    for (let i = 0; i < 5; i++) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }).then(() => (granted += 1), () => undefined);
    await drain(clock, 29_999);
    expect(granted).toBe(1);
    await drain(clock, 1);
    expect(granted).toBe(5);
    limiter.close();
  });

  it('admits a call larger than the effective burst on a full bucket (the provider would too) instead of waiting forever', async () => {
    const clock = new ManualClock(START);
    const limiter = new ProviderLimiter({ name: 'openai', provider: 'openai', clock });
    limiter.observeHeaders({ 'x-ratelimit-limit-tokens': '60000', 'x-ratelimit-remaining-tokens': '1000', 'x-ratelimit-reset-tokens': '0s' });
    expect(capacities(limiter).tokens).toBe(1000);
    let done = false;
    void limiter.reserve({ estimatedInputTokens: 1500, maxOutputTokens: 10 }).then(() => (done = true), () => undefined);
    await drain(clock);
    expect(done).toBe(true);
    expect(limiter.snapshot().buckets[0]!.available).toBe(-500);
    limiter.close();
  });
});
