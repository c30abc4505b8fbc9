import { systemClock, type Clock } from '../clock/clock';
import { describeError } from '../errors';
import { MemoryLimiterStore, type BucketSpec, type LimiterStore, type TakeRequest, type TakeResult } from './limiter-store';

export interface FallbackLimiterStoreOptions {
  /** The shared store (Redis). */
  shared: LimiterStore;
  /** Says where the shared store is, for warnings (no password). */
  description: string;
  /** Longest a shared-store call may take before the local store answers instead. Default 1 s. */
  timeoutMs?: number;
  /** While the shared store is down, how often one call tries it again. Default 5 s. */
  retryEveryMs?: number;
  clock?: Clock;
  /** Told when sharing is lost (loudly: limits are per process now) and when it is back. */
  onStateChange?: (event: SharedStoreEvent) => void;
}

export type SharedStoreEvent = { state: 'down'; message: string } | { state: 'up'; message: string };

class SharedStoreTimeout extends Error {}

/**
 * A limiter store that keeps its state in a shared store (Redis) and, when that store fails or is slow,
 * answers from a local in-memory one instead: calls continue on local limits, never hang on an
 * unreachable Redis, and a warning says so once per outage (and once when sharing is back). While down,
 * one call every `retryEveryMs` tries the shared store again.
 */
export class FallbackLimiterStore implements LimiterStore {
  readonly shared = true;
  private readonly local: MemoryLimiterStore;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly retryEveryMs: number;
  private downSince: number | null = null;
  private nextTryAt = 0;

  constructor(private readonly options: FallbackLimiterStoreOptions) {
    this.clock = options.clock ?? systemClock;
    this.local = new MemoryLimiterStore(this.clock);
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.retryEveryMs = options.retryEveryMs ?? 5000;
  }

  /** True while calls run on local limits because the shared store cannot be reached. */
  get degraded(): boolean {
    return this.downSince !== null;
  }

  tryTakeAll(requests: readonly TakeRequest[], now: number): Promise<TakeResult> {
    return this.either((store) => store.tryTakeAll(requests, now));
  }

  adjust(spec: BucketSpec, delta: number, now: number): Promise<void> {
    return this.either((store) => store.adjust(spec, delta, now));
  }

  capAt(spec: BucketSpec, remaining: number, now: number): Promise<void> {
    return this.either((store) => store.capAt(spec, remaining, now));
  }

  read(specs: readonly BucketSpec[], now: number): Promise<number[]> {
    return this.either((store) => store.read(specs, now));
  }

  pauseUntil(scope: string, until: number): Promise<void> {
    // A pause is kept locally too, so it holds through an outage that starts right after it.
    void this.local.pauseUntil(scope, until);
    return this.either((store) => store.pauseUntil(scope, until));
  }

  async pausedUntil(scope: string): Promise<number> {
    const shared = await this.either((store) => store.pausedUntil(scope));
    return Math.max(shared, await this.local.pausedUntil(scope));
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.options.shared.close();
  }

  private async either<T>(operation: (store: LimiterStore) => Promise<T>): Promise<T> {
    const now = this.clock.now();
    if (this.downSince !== null && now < this.nextTryAt) return operation(this.local);
    try {
      const result = await this.withTimeout(operation(this.options.shared));
      if (this.downSince !== null) {
        const downMs = Math.round(now - this.downSince);
        this.downSince = null;
        this.options.onStateChange?.({ state: 'up', message: `Redis limiter store at ${this.options.description} answers again after ${downMs} ms: limits are shared again.` });
      }
      return result;
    } catch (error) {
      if (this.downSince === null) {
        this.downSince = now;
        const why = error instanceof SharedStoreTimeout ? `no answer within ${this.timeoutMs} ms` : describeError(error);
        this.options.onStateChange?.({
          state: 'down',
          message: `Redis limiter store at ${this.options.description} is unreachable (${why}): calls continue on THIS PROCESS'S OWN limits, not shared with other processes, so together they may exceed the provider's limit. Retrying every ${Math.round(this.retryEveryMs / 1000)} s.`,
        });
      }
      this.nextTryAt = now + this.retryEveryMs;
      return operation(this.local);
    }
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new SharedStoreTimeout()), this.timeoutMs);
      promise.then(
        (value) => {
          this.clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.clock.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
