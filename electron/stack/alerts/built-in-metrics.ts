import type { PoolSnapshot } from '../../../shared/contract/pool';
import type { EventHub } from '../events/event-hub';
import type { Monitor } from '../monitor/monitor';
import { ConcurrencyMetrics } from './concurrency-metrics';
import type { MetricRegistry } from '../monitor/metric-registry';
import { stackLimiterStoreHealth } from '../ratelimit/stack-limiter-store';
import { limiterStoreMetricSource } from './limiter-store-metrics';
import { poolMetricSource } from './pool-metrics';
import { runtimeMetricSource } from './runtime-metrics';

/**
 * Registers the metrics every stack has: the runtime (from the monitor) and the features that publish
 * snapshots on the hub (read from their latest snapshot, so alerts see what the panel sees).
 * Returns one disposer for all of them.
 */
export function registerBuiltInMetrics(metrics: MetricRegistry, monitor: Monitor, hub: EventHub): () => void {
  let pool: PoolSnapshot | null = null;
  const concurrency = new ConcurrencyMetrics();
  const disposers = [
    hub.subscribe('concurrency.snapshot', (snapshot) => concurrency.update(snapshot)),
    metrics.register(concurrency),
    metrics.register(runtimeMetricSource(() => monitor.latest)),
    hub.subscribe('pool.snapshot', (snapshot) => {
      pool = snapshot;
    }),
    metrics.register(poolMetricSource(() => pool)),
    metrics.register(limiterStoreMetricSource(stackLimiterStoreHealth)),
  ];
  return () => {
    for (const dispose of disposers) dispose();
  };
}
