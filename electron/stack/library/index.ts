/**
 * The public surface of the `bulkhead-governance` package: the stack's concurrency and rate-limit
 * primitives, usable in anyone's agents without the panel. Everything here is re-exported from where the
 * stack itself keeps it (no copies), so the library and the panel run the same code.
 *
 * This entry never loads `pg` or `ioredis`: the PostgreSQL pool lives in `bulkhead-governance/pg`, and a
 * Redis store is loaded on demand only when one is asked for. Both are optional peer dependencies.
 */
import { startAutoAttach } from './attach/auto-attach';
import { libraryRegistry as registryForAutoAttach } from './library-registry';

export { type SemaphoreOptions, type AcquireOptions, type Permit } from '../concurrency/semaphore';
// The primitives a process creates register themselves (weakly) so BULKHEAD_ATTACH can report them.
export { Semaphore, WorkerPool, TokenBucket, SlidingWindowLog, SlidingWindowCounter, ProviderLimiter } from './registered-primitives';
export { mapBounded, type MapBoundedOptions, type MapFn } from '../concurrency/map-bounded';
export { type WorkerPoolOptions, type RunOptions } from '../concurrency/worker-pool/worker-pool';
export { WorkerCrashedError, WorkerTaskError } from '../concurrency/worker-pool/worker-errors';
export { type TokenBucketOptions } from '../ratelimit/token-bucket';
export { type SlidingWindowLogOptions } from '../ratelimit/sliding-window-log';
export { type SlidingWindowCounterOptions } from '../ratelimit/sliding-window-counter';
export type { QueuedLimiterOptions, WaitOptions } from '../ratelimit/queued-limiter';
export { type ProviderLimiterOptions, type ReserveOptions } from '../ratelimit/provider/provider-limiter';
export type { ProviderLimitsConfig, OutputAccounting, CallDemand } from '../ratelimit/provider/provider-buckets';
export { RetryLoop, classifyForRetry, type RetryLoopOptions, type RetryVerdict } from '../ratelimit/retry-loop';
export { MemoryLimiterStore, type LimiterStore, type BucketSpec, type TakeRequest, type TakeResult } from '../ratelimit/limiter-store';
export { RedisLimiterStore, type RedisScriptClient } from '../ratelimit/redis-limiter-store';
export { ProviderError, isProviderError, type ProviderErrorKind, type ProviderErrorDetails } from '../providers/provider-error';
export type { ProviderName, Usage } from '../providers/provider-types';
export { BulkheadError, isBulkheadError } from '../errors';
export { TimeoutError, AbortError, QueueFullError, CapacityExceededError, ClosedError } from '../concurrency/errors';
export { InvalidArgumentError } from '../concurrency/invalid-argument';
export { systemClock, sleep, type Clock, type TimerHandle } from '../clock/clock';
export { ManualClock } from '../clock/manual-clock';
export { libraryRegistry, type LibraryRegistry, type LibraryPrimitive, type PrimitiveKind } from './library-registry';
export { createGovernedFetch, type GovernedFetch, type GovernedFetchOptions, type GovernedFetchStats, type FetchLike } from './governed-fetch';
export type { UsageSource } from './usage-tap';
export { FallbackLimiterStore, type FallbackLimiterStoreOptions, type SharedStoreEvent } from '../ratelimit/fallback-limiter-store';
export type { StoreOption } from './store-option';
export { attachToPanel, autoAttachReporter, type AttachToPanelOptions } from './attach/attach-to-panel';
export type { AttachReporter, AttachReporterStats, ReporterState } from './attach/attach-reporter';

// The package's entry (and ./pg's): with BULKHEAD_ATTACH set, a process that uses the library reports to
// the panel with no code change. Only here, not in the registry, so Bulkhead's own processes never attach.
startAutoAttach(registryForAutoAttach);
