import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisServerUnavailable, startRedisTestServer } from '../testing/redis-test-server';
import { FallbackLimiterStore, type SharedStoreEvent } from './fallback-limiter-store';
import { RedisLimiterStore } from './redis-limiter-store';

/** A real redis-server that stops answering (CLIENT PAUSE, as a hung or overloaded server does) and comes back. */
describe.skipIf(redisServerUnavailable() !== null)('FallbackLimiterStore over a Redis that stops answering', () => {
  it('answers from local limits while Redis is down, says so once, and shares again once it is back', async () => {
    const server = await startRedisTestServer();
    const admin = new Redis(server.url);
    const client = new Redis(server.url, { maxRetriesPerRequest: 0, connectTimeout: 500, commandTimeout: 500, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    const events: SharedStoreEvent[] = [];
    const store = new FallbackLimiterStore({ shared: new RedisLimiterStore(client, { prefix: 'fb:' }), description: server.url, timeoutMs: 300, retryEveryMs: 200, onStateChange: (event) => events.push(event) });
    const spec = { key: 'openai:test:requests', capacity: 2, refillPerSec: 0.001 };
    try {
      expect(await store.tryTakeAll([{ spec, cost: 1 }], Date.now())).toEqual({ ok: true });
      expect(store.degraded).toBe(false);

      await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
      const started = Date.now();
      // Local limits: a fresh local bucket of 2, so two calls pass and the third waits — none hangs.
      const local = [];
      for (let i = 0; i < 3; i++) local.push(await store.tryTakeAll([{ spec, cost: 1 }], Date.now()));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(local.map((result) => result.ok)).toEqual([true, true, false]);
      expect(store.degraded).toBe(true);
      expect(events.map((event) => event.state)).toEqual(['down']);

      const deadline = Date.now() + 10_000;
      while (store.degraded && Date.now() < deadline) {
        await store.read([spec], Date.now());
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(events.map((event) => event.state)).toEqual(['down', 'up']);
      expect(events[1]!.message).toMatch(/answers again .* shared again/);
    } finally {
      client.disconnect();
      admin.disconnect();
      await server.stop();
    }
  }, 30_000);
});
