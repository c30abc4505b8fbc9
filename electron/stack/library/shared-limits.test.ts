import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../db/embedded/free-port';
import { isBulkheadError } from '../errors';
import { startSimulator, type RunningSimulator } from '../providers/simulator/simulator';
import type { SharedStoreEvent } from '../ratelimit/fallback-limiter-store';
import { MemoryLimiterStore } from '../ratelimit/limiter-store';
import { openSharedLimiterStore, type RedisConstructor, type SharedLimiterStore } from '../ratelimit/redis-connection';
import { systemClock } from '../clock/clock';
import { redisServerUnavailable, startRedisTestServer, type RedisTestServer } from '../testing/redis-test-server';
import { createGovernedFetch, type GovernedFetch } from './governed-fetch';
import { leaseStore } from './store-option';

/**
 * Limits shared through a real Redis (a redis-server this file starts on a free loopback port): two
 * stores on two connections stand for two processes; without Redis each would spend the whole budget.
 */
const unavailable = redisServerUnavailable();
let redis: RedisTestServer | null = null;
let sim: RunningSimulator;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
  if (!unavailable) redis = await startRedisTestServer();
}, 30_000);
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await redis?.stop();
  await sim.stop();
});

const RPM = 60;
const body = JSON.stringify({ model: 'm', max_tokens: 4, messages: [{ role: 'user', content: 'q' }] });
const headers = { authorization: 'Bearer sk-shared-budget-key-123456', 'content-type': 'application/json' };

/** `count` calls from one "process"; each gives up waiting for the limiter after 8 s (the rest of the budget refills slowly). */
async function burst(governed: GovernedFetch, count: number): Promise<{ ok: number; http429: number }> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, () => governed(`${sim.openaiBaseUrl}/chat/completions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(8000) })),
  );
  const statuses = results.map((result) => (result.status === 'fulfilled' ? result.value.status : 0));
  return { ok: statuses.filter((status) => status === 200).length, http429: statuses.filter((status) => status === 429).length };
}

function governedOn(store: MemoryLimiterStore | SharedLimiterStore['store']): GovernedFetch {
  const governed = createGovernedFetch({ provider: 'openai', store, limits: { requestsPerMinute: RPM, tokensPerMinute: 1_000_000 }, retry: false });
  cleanups.push(() => governed.close());
  return governed;
}

describe.skipIf(unavailable !== null)('limits shared through Redis', () => {
  it('two processes on one Redis spend one budget (at most one 429); on their own memory they overrun it', async () => {
    sim.control.update({ openai: { rpm: RPM, tpm: 1_000_000 } });
    sim.control.reset();
    // A generous timeout: this test is about sharing, not about falling back when Redis is slow (a busy CI machine).
    const outages: SharedStoreEvent[] = [];
    const stores = [0, 1].map(() =>
      openSharedLimiterStore(Redis as unknown as RedisConstructor, redis!.url, { field: 'test', prefix: `t1:`, timeoutMs: 10_000, onStateChange: (event) => outages.push(event) }),
    );
    for (const shared of stores) cleanups.push(() => shared.close());
    const shared = await Promise.all(stores.map((shared) => burst(governedOn(shared.store), 45)));
    expect(outages).toEqual([]);
    // At most one refused at a refill boundary (our clock and the simulator's differ by the request's trip).
    const shared429 = shared.reduce((sum, side) => sum + side.http429, 0);
    expect(shared429, JSON.stringify(shared)).toBeLessThanOrEqual(1);
    const okShared = shared.reduce((sum, side) => sum + side.ok, 0);
    // Never more than the budget: the 60-request burst plus at most 8 s of refill at 1/s.
    expect(okShared).toBeGreaterThan(0);
    expect(okShared, JSON.stringify(shared)).toBeLessThanOrEqual(RPM + 9);

    sim.control.reset();
    const alone = await Promise.all([0, 1].map(() => burst(governedOn(new MemoryLimiterStore(systemClock)), 60)));
    // Each process sees only its own spending until the provider's headers tell: together they overrun it.
    expect(alone.reduce((sum, side) => sum + side.http429, 0), JSON.stringify({ alone, shared })).toBeGreaterThan(Math.max(1, shared429));
  });

  it('keys buckets by provider and a hash of the API key, never the key', async () => {
    const client = new Redis(redis!.url);
    cleanups.push(async () => void client.disconnect());
    const keys = await client.keys('t1:*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('sk-shared');
      expect(key).toMatch(/^t1:(bucket|pause):openai:[0-9a-f]{32}/);
    }
  });

  it('BULKHEAD_REDIS_URL selects the shared store; a bad value is refused naming the variable', async () => {
    const lease = await leaseStore(undefined, () => undefined, { BULKHEAD_REDIS_URL: redis!.url });
    expect(lease.store.shared).toBe(true);
    await lease.release();
    const refused = await leaseStore(undefined, () => undefined, { BULKHEAD_REDIS_URL: 'http://127.0.0.1:6379' }).catch((error: unknown) => error);
    expect(isBulkheadError(refused) && refused.message).toMatch(/^BULKHEAD_REDIS_URL must start with redis:\/\//);
  });
});

describe('an unreachable Redis', () => {
  it('never hangs a call: it runs on local limits and warns once, loudly', async () => {
    sim.control.update({ openai: { rpm: 600, tpm: 1_000_000 } });
    const port = await findFreePort(); // nothing listens there
    const events: SharedStoreEvent[] = [];
    const governed = createGovernedFetch({ provider: 'openai', store: { redis: `redis://127.0.0.1:${port}` }, onStoreWarning: (event) => events.push(event), retry: false });
    cleanups.push(() => governed.close());
    const started = Date.now();
    const { ok } = await burst(governed, 5);
    expect(ok).toBe(5);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: 'down' });
    expect(events[0]!.message).toMatch(/unreachable .* THIS PROCESS'S OWN limits/);
  });
});
