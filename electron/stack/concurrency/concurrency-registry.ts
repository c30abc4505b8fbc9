import type {
  ConcurrencySnapshot,
  DemoLoadStatus,
  LimiterSnapshot,
  SemaphoreSnapshot,
  WorkerPoolSnapshot,
} from '../../../shared/contract/concurrency';
import type { Clock } from '../clock/clock';
import { AdaptiveSemaphore } from './adaptive/adaptive-semaphore';
import { Semaphore } from './semaphore';
import { WorkerPool } from './worker-pool/worker-pool';

/** Anything with a name and a limiter snapshot: TokenBucket, sliding windows, ProviderLimiter. */
export interface InspectableLimiter {
  readonly name: string;
  snapshot(): LimiterSnapshot;
}

export type Inspectable = Semaphore | AdaptiveSemaphore | WorkerPool | InspectableLimiter;

/** Primitives that live elsewhere (attached processes), already in snapshot form. */
export interface ConcurrencySource {
  (): { semaphores: SemaphoreSnapshot[]; workerPools: WorkerPoolSnapshot[]; limiters: LimiterSnapshot[] };
}

const IDLE_DEMO: DemoLoadStatus = { running: false, startedAt: null, endsAt: null };

/**
 * The stack's list of live concurrency primitives. A feature that creates a semaphore, pool or limiter
 * registers it with one call — `const unregister = core.concurrency.register(semaphore)` — and the monitor
 * pushes its snapshot to the panel every tick until it is unregistered. The registry only reads snapshots;
 * it never reaches into a primitive, and a primitive whose snapshot throws is skipped, not fatal.
 */
export class ConcurrencyRegistry {
  private readonly entries = new Set<Inspectable>();
  private readonly sources = new Set<ConcurrencySource>();
  private demoStatus: () => DemoLoadStatus = () => IDLE_DEMO;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Makes `primitive` visible on the panel; returns the function that removes it again. */
  register(primitive: Inspectable): () => void {
    this.entries.add(primitive);
    return () => {
      this.entries.delete(primitive);
    };
  }

  /** Adds primitives from elsewhere (attached processes) after the stack's own; returns the undo. */
  addSource(source: ConcurrencySource): () => void {
    this.sources.add(source);
    return () => {
      this.sources.delete(source);
    };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Where the demo load reports whether it runs (set by the demo's handlers). */
  setDemoStatus(read: () => DemoLoadStatus): void {
    this.demoStatus = read;
  }

  snapshot(): ConcurrencySnapshot {
    const semaphores: SemaphoreSnapshot[] = [];
    const workerPools: WorkerPoolSnapshot[] = [];
    const limiters: LimiterSnapshot[] = [];
    for (const entry of this.entries) {
      try {
        if (entry instanceof Semaphore || entry instanceof AdaptiveSemaphore) semaphores.push(entry.snapshot());
        else if (entry instanceof WorkerPool) workerPools.push(entry.snapshot());
        else limiters.push(entry.snapshot());
      } catch (error) {
        this.onError(error);
      }
    }
    for (const source of this.sources) {
      try {
        const more = source();
        semaphores.push(...more.semaphores);
        workerPools.push(...more.workerPools);
        limiters.push(...more.limiters);
      } catch (error) {
        this.onError(error);
      }
    }
    return { t: this.clock.now(), semaphores, workerPools, limiters, demo: this.demoStatus() };
  }
}
