import { BulkheadError } from '../errors';
import { FallbackLimiterStore, type SharedStoreEvent } from './fallback-limiter-store';
import { RedisLimiterStore, type RedisScriptClient } from './redis-limiter-store';

/** The part of ioredis's client this module uses (so the constructor can be injected or loaded lazily). */
export interface RedisClientLike extends RedisScriptClient {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  readonly stream?: { unref?: () => void };
}
export type RedisConstructor = new (url: string, options: Record<string, unknown>) => RedisClientLike;

export interface SharedLimiterStore {
  readonly store: FallbackLimiterStore;
  /** Where it is, without credentials. */
  readonly description: string;
  close(): Promise<void>;
}

/** Checks a Redis URL; `field` names where it came from in the error (`BULKHEAD_REDIS_URL`, `store.redis`). */
export function parseRedisUrl(url: string, field: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BulkheadError('redis.invalid_url', `${field} is not a URL.`, { remedy: `Set ${field} to redis://[user:password@]host:port[/db] (or rediss:// for TLS).` });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new BulkheadError('redis.invalid_url', `${field} must start with redis:// or rediss://, not ${parsed.protocol}//.`, { remedy: `Set ${field} to redis://host:port[/db].` });
  }
  return parsed;
}

/**
 * Opens the shared limiter store on Redis: RedisLimiterStore (atomic Lua scripts) behind a
 * FallbackLimiterStore, so an unreachable or slow Redis never blocks a call — it runs on local limits and
 * `onStateChange` says so. The client fails commands fast (no retries per command, 1 s timeouts), keeps
 * reconnecting in the background, and its socket never keeps the process alive.
 */
export function openSharedLimiterStore(
  Redis: RedisConstructor,
  url: string,
  options: { field: string; prefix?: string; onStateChange: (event: SharedStoreEvent) => void; timeoutMs?: number },
): SharedLimiterStore {
  const parsed = parseRedisUrl(url, options.field);
  const description = `${parsed.protocol}//${parsed.host}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  const client = new Redis(url, {
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 1000,
    retryStrategy: (times: number) => Math.min(250 * times, 5000),
  });
  // ioredis reports connection failures as 'error' events; the fallback store reports the outage once.
  client.on('error', () => undefined);
  client.on('connect', () => client.stream?.unref?.());
  const store = new FallbackLimiterStore({
    shared: new RedisLimiterStore(client, options.prefix !== undefined ? { prefix: options.prefix } : {}),
    description,
    onStateChange: options.onStateChange,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  return {
    store,
    description,
    close: async () => {
      await store.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
