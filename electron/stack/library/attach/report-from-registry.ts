import type { AttachedPool, AttachReportInput } from '../../../../shared/contract/attach';
import type { LimiterSnapshot, SemaphoreSnapshot, WorkerPoolSnapshot } from '../../../../shared/contract/concurrency';
import type { PoolCounters } from '../../db/pool/instrumented-pool';
import type { LibraryRegistry } from '../library-registry';

/** How many primitives of one kind a report carries (the protocol's cap). */
const MAX_PER_KIND = 200;

/**
 * The library registry's snapshots as one attach report. Each kind's snapshot is the stack's own shape
 * (the registry holds what the primitive's `snapshot()` returns), so it is passed on as is; pools are
 * reduced to their counts.
 */
export function reportFromRegistry(registry: LibraryRegistry): Omit<AttachReportInput, 'type' | 'seq' | 'dropped'> {
  const semaphores: SemaphoreSnapshot[] = [];
  const workerPools: WorkerPoolSnapshot[] = [];
  const limiters: LimiterSnapshot[] = [];
  const pools: AttachedPool[] = [];
  for (const entry of registry.snapshot()) {
    switch (entry.kind) {
      case 'semaphore':
        if (semaphores.length < MAX_PER_KIND) semaphores.push(entry.snapshot as SemaphoreSnapshot);
        break;
      case 'worker-pool':
        if (workerPools.length < MAX_PER_KIND) workerPools.push(entry.snapshot as WorkerPoolSnapshot);
        break;
      case 'limiter':
        if (limiters.length < MAX_PER_KIND) limiters.push(entry.snapshot as LimiterSnapshot);
        break;
      case 'pool': {
        const counters = entry.snapshot as PoolCounters;
        if (pools.length < MAX_PER_KIND) pools.push({ name: entry.name.slice(0, 200) || 'pool', ...counters.counts, leaks: counters.leaks.length });
        break;
      }
    }
  }
  return { t: Date.now(), semaphores, workerPools, limiters, pools };
}
