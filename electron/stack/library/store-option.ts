import { systemClock } from '../clock/clock';
import { BulkheadError } from '../errors';
import type { SharedStoreEvent } from '../ratelimit/fallback-limiter-store';
import { MemoryLimiterStore, type LimiterStore } from '../ratelimit/limiter-store';
import { openSharedLimiterStore, type RedisConstructor, type SharedLimiterStore } from '../ratelimit/redis-connection';

/** Where a library limiter keeps its state: a store of yours, Redis by URL, or this process's memory. */
export type StoreOption = LimiterStore | { redis: string } | 'memory';

export interface StoreLease {
  readonly store: LimiterStore;
  /** Gives the store back; a Redis connection closes when its last user releases it. */
  release(): Promise<void>;
}

let processMemoryStore: MemoryLimiterStore | null = null;
const redisStores = new Map<string, { opened: Promise<SharedLimiterStore>; users: number }>();

/** Default: loud, on stderr — calls on local limits can together exceed a provider's limit. */
export function warnOnStderr(event: SharedStoreEvent): void {
  process.stderr.write(`bulkhead-governance: ${event.state === 'down' ? 'WARNING: ' : ''}${event.message}\n`);
}

/**
 * Resolves a `store` option: yours as is; `{ redis: url }`, or none with `BULKHEAD_REDIS_URL` set, to one
 * shared Redis store per URL in this process (ioredis loaded only then — an optional peer dependency);
 * otherwise one in-memory store for the whole process.
 */
export async function leaseStore(option: StoreOption | undefined, onStateChange: (event: SharedStoreEvent) => void = warnOnStderr, env: NodeJS.ProcessEnv = process.env): Promise<StoreLease> {
  if (option !== undefined && option !== 'memory' && !('redis' in option)) return { store: option, release: async () => undefined };
  const fromEnv = option === undefined ? env.BULKHEAD_REDIS_URL?.trim() : undefined;
  const url = option !== undefined && option !== 'memory' ? option.redis : fromEnv;
  if (url === undefined || url === '') {
    processMemoryStore ??= new MemoryLimiterStore(systemClock);
    return { store: processMemoryStore, release: async () => undefined };
  }
  const field = option === undefined ? 'BULKHEAD_REDIS_URL' : 'store.redis';
  let entry = redisStores.get(url);
  if (!entry) {
    entry = { opened: loadRedis().then((Redis) => openSharedLimiterStore(Redis, url, { field, onStateChange })), users: 0 };
    redisStores.set(url, entry);
    entry.opened.catch(() => redisStores.delete(url));
  }
  entry.users += 1;
  const shared = await entry.opened;
  const current = entry;
  let released = false;
  return {
    store: shared.store,
    release: async () => {
      if (released) return;
      released = true;
      current.users -= 1;
      if (current.users === 0 && redisStores.get(url) === current) {
        redisStores.delete(url);
        await shared.close();
      }
    },
  };
}

async function loadRedis(): Promise<RedisConstructor> {
  try {
    const loaded = (await import('ioredis')) as unknown as { Redis?: RedisConstructor; default?: RedisConstructor };
    const Redis = loaded.Redis ?? loaded.default;
    if (!Redis) throw new Error('ioredis exports no Redis class');
    return Redis;
  } catch (error) {
    throw new BulkheadError('redis.client_missing', `Limits shared through Redis need the ioredis package, which could not be loaded (${(error as Error).message}).`, {
      remedy: 'npm install ioredis (an optional peer dependency of bulkhead-governance), or unset BULKHEAD_REDIS_URL for per-process limits.',
      cause: error,
    });
  }
}
