import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricReading } from '../../../shared/contract/alerts';
import { stackLimiterStore, stackLimiterStoreHealth } from '../ratelimit/stack-limiter-store';
import { AlertEngine } from './alert-engine';
import { DEFAULT_ALERT_RULES } from './default-rules';
import { limiterStoreMetricSource } from './limiter-store-metrics';

// A port that takes connections and never answers: Redis "unreachable" the slow way, on loopback.
const accepted = new Set<Socket>();
const silent: Server = createServer((socket) => {
  accepted.add(socket);
  socket.on('close', () => accepted.delete(socket));
});
afterAll(async () => {
  for (const socket of accepted) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('an unreachable Redis limiter store raises a panel alert', () => {
  it('reports nothing while no shared store is configured', () => {
    expect(limiterStoreMetricSource(() => ({ configured: false, down: false, message: null })).read()).toEqual([]);
  });

  it('fires "Shared limits unavailable" once the store falls back to local limits', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    const store = stackLimiterStore({ BULKHEAD_REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(store).not.toBeNull();
    const spec = { key: 'alert-test:requests', capacity: 10, refillPerSec: 1 };
    // The call completes on local limits; it does not hang on the silent Redis.
    await expect(store!.tryTakeAll([{ spec, cost: 1 }], Date.now())).resolves.toEqual({ ok: true });
    expect(stackLimiterStoreHealth()).toMatchObject({ configured: true, down: true });

    const readings = new Map<string, MetricReading>(limiterStoreMetricSource(stackLimiterStoreHealth).read().map((r) => [r.name, r]));
    expect(readings.get('limiters.sharedStoreDown')?.value).toBe(1);
    const engine = new AlertEngine(DEFAULT_ALERT_RULES.filter((rule) => rule.id === 'limiter-store-down'));
    const fired = engine.evaluate(Date.now(), readings);
    expect(fired.map((t) => ({ rule: t.alert.ruleId, kind: t.kind }))).toEqual([{ rule: 'limiter-store-down', kind: 'fired' }]);
    await store!.close();
  }, 15_000);
});
