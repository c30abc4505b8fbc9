import { Redis } from 'ioredis';
import { createLogger } from '../log/logger';
import type { LimiterStore } from './limiter-store';
import { openSharedLimiterStore, type RedisConstructor, type SharedLimiterStore } from './redis-connection';

let opened: { url: string; shared: SharedLimiterStore } | null = null;

/** Whether the stack's shared limiter store is configured and answering; the alerts read it. */
export interface SharedStoreHealth {
  readonly configured: boolean;
  readonly down: boolean;
  readonly message: string | null;
}

let health: SharedStoreHealth = { configured: false, down: false, message: null };

/** The health of the store `stackLimiterStore` opened (not configured until a limiter asks for it). */
export function stackLimiterStoreHealth(): SharedStoreHealth {
  return health;
}

/**
 * The store the stack's provider limiters use when none is given: with BULKHEAD_REDIS_URL set, one
 * Redis-backed store per process (buckets and pauses shared with every process on that Redis, local
 * limits with a loud warning while it is unreachable); otherwise null, and each limiter keeps its own
 * in-memory state.
 */
export function stackLimiterStore(env: NodeJS.ProcessEnv = process.env): LimiterStore | null {
  const url = env.BULKHEAD_REDIS_URL?.trim();
  if (!url) return null;
  if (opened?.url === url) return opened.shared.store;
  const log = createLogger({ scope: 'limiter-store' });
  const shared = openSharedLimiterStore(Redis as unknown as RedisConstructor, url, {
    field: 'BULKHEAD_REDIS_URL',
    onStateChange: (event) => {
      health = { configured: true, down: event.state === 'down', message: event.message };
      if (event.state === 'down') log.error(event.message);
      else log.info(event.message);
    },
  });
  opened = { url, shared };
  health = { configured: true, down: false, message: null };
  log.info(`provider limiters keep their buckets and pauses in Redis at ${shared.description}`);
  return shared.store;
}
