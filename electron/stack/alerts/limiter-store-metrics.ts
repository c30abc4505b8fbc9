import type { MetricReading } from '../../../shared/contract/alerts';
import type { SharedStoreHealth } from '../ratelimit/stack-limiter-store';
import type { MetricSource } from '../monitor/metric-registry';

/**
 * The shared limiter store (BULKHEAD_REDIS_URL) as a metric, only while one is configured: 1 while
 * Redis does not answer and the limiters run on this process's own limits — together with other
 * processes they may then exceed the provider's limit, which the panel must say out loud.
 */
export function limiterStoreMetricSource(health: () => SharedStoreHealth): MetricSource {
  return {
    id: 'limiter-store',
    read(): MetricReading[] {
      const now = health();
      if (!now.configured) return [];
      return [{ name: 'limiters.sharedStoreDown', value: now.down ? 1 : 0, unit: '', description: '1 while the Redis limiter store is unreachable (limits are per process, not shared)' }];
    },
  };
}
