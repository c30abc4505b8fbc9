import type { Clock } from '../clock/clock';
import { TokenBucket } from './token-bucket';

/**
 * Where provider-limiter state lives. In one process it is memory (MemoryLimiterStore); when agents in
 * several processes share one provider quota, the same operations run as Redis Lua scripts
 * (RedisLimiterStore), each script one atomic step, so two processes can never both spend the last tokens.
 *
 * The state per bucket is two numbers — tokens and the time they were last refilled — and every operation
 * first refills by elapsed × rate (capped at capacity), exactly as TokenBucket does. Specs travel with
 * every call, so a limit learned from headers in one process reaches the shared state on its next call.
 * Times are epoch milliseconds from the caller's clock (processes on one host share it).
 */
export interface BucketSpec {
  /** Unique across everything sharing the store, e.g. `openai:gpt-4o:tokens`. */
  readonly key: string;
  readonly capacity: number;
  readonly refillPerSec: number;
}

export interface TakeRequest {
  readonly spec: BucketSpec;
  readonly cost: number;
  /** Tokens that must remain after taking (ramp-up holds back part of the bucket); default 0. */
  readonly floor?: number;
}

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly waitMs: number };

export interface LimiterStore {
  /** True when other processes share the state (waiters then poll: someone else may free tokens). */
  readonly shared: boolean;
  /** All or nothing: takes every cost if every bucket has it (above its floor); otherwise takes nothing. */
  tryTakeAll(requests: readonly TakeRequest[], now: number): Promise<TakeResult>;
  /** Adds (refund, never above capacity) or removes (charge, may go negative) tokens. */
  adjust(spec: BucketSpec, delta: number, now: number): Promise<void>;
  /** Lowers the tokens to `remaining` if they are above it (an authority such as response headers). */
  capAt(spec: BucketSpec, remaining: number, now: number): Promise<void>;
  /** Current tokens of each bucket, after refill. */
  read(specs: readonly BucketSpec[], now: number): Promise<number[]>;
  /** The same, synchronously, for stores that can (memory); snapshots use it when present. */
  readNow?(specs: readonly BucketSpec[], now: number): number[];
  /** Extends (never shortens) a pause shared by everything using `scope`. */
  pauseUntil(scope: string, until: number): Promise<void>;
  /** Epoch ms until which `scope` is paused; 0 when it is not. */
  pausedUntil(scope: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The in-process store: a TokenBucket per key (the same refill arithmetic the Lua scripts implement).
 * Its methods complete synchronously; they return promises only to share the interface.
 */
export class MemoryLimiterStore implements LimiterStore {
  readonly shared = false;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly pauses = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  async tryTakeAll(requests: readonly TakeRequest[], now: number): Promise<TakeResult> {
    return this.tryTakeAllNow(requests, now);
  }

  /** Synchronous form, for callers that know they hold a memory store. */
  tryTakeAllNow(requests: readonly TakeRequest[], _now: number): TakeResult {
    let waitMs = 0;
    for (const request of requests) {
      const bucket = this.bucket(request.spec);
      const need = request.cost + (request.floor ?? 0);
      if (bucket.available() < need) waitMs = Math.max(waitMs, bucket.msUntil(need));
    }
    if (waitMs > 0) return { ok: false, waitMs };
    for (const request of requests) this.bucket(request.spec).charge(request.cost);
    return { ok: true };
  }

  async adjust(spec: BucketSpec, delta: number, _now: number): Promise<void> {
    const bucket = this.bucket(spec);
    if (delta > 0) bucket.refund(delta);
    else if (delta < 0) bucket.charge(-delta);
  }

  async capAt(spec: BucketSpec, remaining: number, _now: number): Promise<void> {
    this.bucket(spec).capAt(remaining);
  }

  async read(specs: readonly BucketSpec[], now: number): Promise<number[]> {
    return this.readNow(specs, now);
  }

  readNow(specs: readonly BucketSpec[], _now: number): number[] {
    return specs.map((spec) => this.bucket(spec).available());
  }

  async pauseUntil(scope: string, until: number): Promise<void> {
    if (until > (this.pauses.get(scope) ?? 0)) this.pauses.set(scope, until);
  }

  async pausedUntil(scope: string): Promise<number> {
    return this.pauses.get(scope) ?? 0;
  }

  async close(): Promise<void> {
    for (const bucket of this.buckets.values()) bucket.close();
    this.buckets.clear();
  }

  private bucket(spec: BucketSpec): TokenBucket {
    let bucket = this.buckets.get(spec.key);
    if (!bucket) {
      bucket = new TokenBucket({ name: spec.key, capacity: spec.capacity, refillPerSec: spec.refillPerSec, clock: this.clock });
      this.buckets.set(spec.key, bucket);
    } else if (bucket.capacity !== spec.capacity || bucket.refillPerSec !== spec.refillPerSec) {
      bucket.reconfigure({ capacity: spec.capacity, refillPerSec: spec.refillPerSec });
    }
    return bucket;
  }
}
