import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { MemoryLimiterStore, type BucketSpec, type LimiterStore } from '../limiter-store';
import { ProviderLimiter } from './provider-limiter';
import { RedisLimiterStore } from '../redis-limiter-store';

/**
 * The shared-store design proven against a real Redis (TEST_REDIS_URL, default the machine's
 * 127.0.0.1:6379). A user's machine usually has no Redis: then these tests are skipped, saying so.
 */
const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bulkhead-test:${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];

async function connect(): Promise<Redis | null> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    clients.push(client);
    return client;
  } catch {
    client.disconnect();
    return null;
  }
}

const probe = await connect();
if (!probe) console.warn(`RedisLimiterStore tests skipped: no Redis answers at ${url} (set TEST_REDIS_URL to run them).`);

afterAll(async () => {
  if (probe) {
    const keys = await probe.keys(`${prefix}*`);
    if (keys.length > 0) await probe.del(...keys);
  }
  for (const client of clients) client.disconnect();
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Gives in-flight Redis calls time to land, so an over-admission would show. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 150));

const spec = (key: string, capacity: number, refillPerSec: number): BucketSpec => ({ key, capacity, refillPerSec });

describe.skipIf(!probe)(`RedisLimiterStore against Redis at ${url}`, () => {
  it('behaves exactly like the memory store for the same sequence of operations', async () => {
    const clocks = [new ManualClock(1_000_000), new ManualClock(1_000_000)];
    const stores: LimiterStore[] = [new MemoryLimiterStore(clocks[0]!), new RedisLimiterStore(probe!, { prefix: `${prefix}same:` })];
    const requests = spec('openai:requests', 10, 1);
    const tokens = spec('openai:tokens', 1000, 100);
    const transcripts: string[][] = [[], []];
    for (const [index, store] of stores.entries()) {
      const log = transcripts[index]!;
      const note = async (what: string, value: unknown): Promise<void> => {
        log.push(`${what}=${JSON.stringify(value)}`);
      };
      // `now` is always the caller's clock (the memory store reads the same clock itself).
      const clock = clocks[index]!;
      const at = (t: number): number => {
        clock.advance(1_000_000 + t - clock.now());
        return clock.now();
      };
      await note('take', await store.tryTakeAll([{ spec: requests, cost: 1 }, { spec: tokens, cost: 900 }], at(0)));
      await note('all-or-nothing', await store.tryTakeAll([{ spec: requests, cost: 1 }, { spec: tokens, cost: 200 }], at(0)));
      await note('levels', await store.read([requests, tokens], at(0)));
      await store.adjust(tokens, 400, at(0)); // refund
      await note('after refund', await store.read([requests, tokens], at(0)));
      await store.adjust(tokens, -600, at(0)); // charge into debt
      await store.capAt(requests, 3, at(0));
      await note('after charge and cap', await store.read([requests, tokens], at(0)));
      await note('floor holds back', await store.tryTakeAll([{ spec: requests, cost: 1, floor: 5 }], at(1000)));
      await note('refilled', await store.read([requests, tokens], at(5000)));
    }
    expect(transcripts[1]).toEqual(transcripts[0]);
    expect(transcripts[0]).toContain('levels=[9,100]');
    expect(transcripts[0]).toContain('all-or-nothing={"ok":false,"waitMs":1000}');
  });

  it('keeps a pause shared and only ever extends it', async () => {
    const store = new RedisLimiterStore(probe!, { prefix: `${prefix}pause:` });
    expect(await store.pausedUntil('openai')).toBe(0);
    await store.pauseUntil('openai', 5000);
    await store.pauseUntil('openai', 3000);
    expect(await store.pausedUntil('openai')).toBe(5000);
  });

  it('two limiters in "two processes" (two connections) never admit more than the shared RPM together', async () => {
    const second = await connect();
    const clock = new ManualClock(2_000_000);
    const make = (client: Redis, name: string): ProviderLimiter =>
      new ProviderLimiter({
        name,
        provider: 'openai',
        clock,
        scope: 'shared-account',
        store: new RedisLimiterStore(client, { prefix: `${prefix}shared:` }),
        limits: { requestsPerMinute: 6, tokensPerMinute: 100_000 },
        maxPollMs: 100,
        // Nothing is settled here, so a first call sent alone would hold each process at one.
        probeFirstCall: false,
      });
    const limiters = [make(probe!, 'process-a'), make(second!, 'process-b')];
    let admitted = 0;
    for (let i = 0; i < 10; i++) {
      for (const limiter of limiters) void limiter.reserve({ estimatedInputTokens: 10, maxOutputTokens: 10 }).then(() => (admitted += 1), () => undefined);
    }
    // Real Redis round trips take real time; the limiters' clock stands still meanwhile.
    await waitFor(() => admitted >= 6, 'the first six admissions');
    await settle();
    expect(admitted).toBe(6);
    await clock.advanceAsync(10_000); // 1 request per 10 s at 6 RPM, for both processes together
    // Their polls are timers on the manual clock, re-armed only after each Redis answer: step time gently.
    for (let step = 0; step < 50 && admitted < 7; step++) {
      await clock.advanceAsync(100);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await settle();
    expect(admitted).toBe(7);
    for (const limiter of limiters) limiter.close();
  });
});
