import { Semaphore as StackSemaphore, type SemaphoreOptions } from '../concurrency/semaphore';
import { WorkerPool as StackWorkerPool, type WorkerPoolOptions } from '../concurrency/worker-pool/worker-pool';
import { ProviderLimiter as StackProviderLimiter, type ProviderLimiterOptions } from '../ratelimit/provider/provider-limiter';
import { SlidingWindowCounter as StackSlidingWindowCounter, type SlidingWindowCounterOptions } from '../ratelimit/sliding-window-counter';
import { SlidingWindowLog as StackSlidingWindowLog, type SlidingWindowLogOptions } from '../ratelimit/sliding-window-log';
import { TokenBucket as StackTokenBucket, type TokenBucketOptions } from '../ratelimit/token-bucket';
import { libraryRegistry, type PrimitiveKind } from './library-registry';

/**
 * The library's primitives are the stack's, plus one line: each registers itself in the library
 * registry when created, so a reporter (BULKHEAD_ATTACH) sees it without the agent's code changing.
 * The registry holds them weakly — a semaphore made per request and dropped is collected as before,
 * and leaves the registry with it.
 */
const forget = new FinalizationRegistry<() => void>((remove) => remove());

function registerWeakly(kind: PrimitiveKind, primitive: { readonly name: string; snapshot(): unknown }): void {
  const ref = new WeakRef(primitive);
  const remove = libraryRegistry.add({
    kind,
    name: primitive.name,
    snapshot: () => {
      const live = ref.deref();
      if (!live) {
        remove();
        throw new Error('collected');
      }
      return live.snapshot();
    },
  });
  forget.register(primitive, remove);
}

export class Semaphore extends StackSemaphore {
  constructor(options: SemaphoreOptions) {
    super(options);
    registerWeakly('semaphore', this);
  }
}

export class WorkerPool extends StackWorkerPool {
  constructor(options: WorkerPoolOptions) {
    super(options);
    registerWeakly('worker-pool', this);
  }
}

export class TokenBucket extends StackTokenBucket {
  constructor(options: TokenBucketOptions) {
    super(options);
    registerWeakly('limiter', this);
  }
}

export class SlidingWindowLog extends StackSlidingWindowLog {
  constructor(options: SlidingWindowLogOptions) {
    super(options);
    registerWeakly('limiter', this);
  }
}

export class SlidingWindowCounter extends StackSlidingWindowCounter {
  constructor(options: SlidingWindowCounterOptions) {
    super(options);
    registerWeakly('limiter', this);
  }
}

export class ProviderLimiter extends StackProviderLimiter {
  constructor(options: ProviderLimiterOptions) {
    super(options);
    registerWeakly('limiter', this);
  }
}
