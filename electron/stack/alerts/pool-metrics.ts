import type { MetricReading } from '../../../shared/contract/alerts';
import type { PoolSnapshot } from '../../../shared/contract/pool';
import type { MetricSource } from '../monitor/metric-registry';

/** The RAG database pool as metrics, from its latest published snapshot (absent while there is no pool). */
export function poolMetricSource(latest: () => PoolSnapshot | null): MetricSource {
  return {
    id: 'pool',
    read(): MetricReading[] {
      const snap = latest();
      if (!snap || snap.state === 'disabled') return [];
      const readings: MetricReading[] = [
        { name: 'pool.waiting', value: snap.counts.waiting, unit: '', description: 'callers queued for a client' },
        { name: 'pool.leased', value: snap.counts.leased, unit: '', description: 'clients checked out' },
        { name: 'pool.total', value: snap.counts.total, unit: '', description: 'open clients' },
        { name: 'pool.utilization', value: snap.counts.max > 0 ? (snap.counts.leased / snap.counts.max) * 100 : 0, unit: '%', description: 'clients checked out, of max' },
        { name: 'pool.oldestWaiterMs', value: snap.oldestWaiterMs, unit: 'ms', description: 'how long the longest waiter has waited' },
        { name: 'pool.acquireWaitP99Ms', value: snap.acquireWaitMs.p99, unit: 'ms', description: 'acquire wait p99, last minute' },
        { name: 'pool.leaks', value: snap.leaks.length, unit: '', description: 'clients held longer than the leak threshold' },
        { name: 'pool.ready', value: snap.state === 'ready' ? 1 : 0, unit: '', description: '1 while the database is ready' },
      ];
      // Only while a pool exists: starting and retrying have none yet, so nothing can be below min.
      if (snap.state === 'ready' || snap.state === 'unavailable') {
        readings.push({ name: 'pool.belowMin', value: snap.refill.missing, unit: '', description: 'clients missing to reach the pool minimum (lost and not yet replaced)' });
      }
      if (snap.server?.ok) {
        readings.push({ name: 'pool.serverConnections', value: snap.server.ours, unit: '', description: "our connections in the server's pg_stat_activity" });
      }
      return readings;
    },
  };
}
