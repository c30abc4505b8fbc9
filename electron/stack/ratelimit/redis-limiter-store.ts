import type { BucketSpec, LimiterStore, TakeRequest, TakeResult } from './limiter-store';

/**
 * What the store needs from a Redis client: EVAL with ioredis's signature
 * (`redis.eval(script, numKeys, ...keys, ...args)`). ioredis fits as is; for node-redis pass
 * `{ eval: (script, n, ...rest) => client.eval(script, { keys: rest.slice(0, n), arguments: rest.slice(n).map(String) }) }`.
 */
export interface RedisScriptClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/*
 * Every script refills first, exactly like TokenBucket.refill: tokens += (now − ts) × rate, capped at capacity.
 * State per bucket is a hash {t: tokens, ts: last refill} that expires once it would be full anyway, so an
 * idle limiter leaves nothing behind. Numbers travel as strings (Redis truncates Lua numbers in replies).
 */
const REFILL = `
local function refill(key, capacity, rate, now)
  local state = redis.call('HMGET', key, 't', 'ts')
  local tokens = tonumber(state[1])
  local ts = tonumber(state[2])
  if tokens == nil or ts == nil then return capacity, now end
  if now > ts then
    tokens = tokens + (now - ts) * rate / 1000
    ts = now
  end
  if tokens > capacity then tokens = capacity end
  return tokens, ts
end
local function save(key, tokens, ts, capacity, rate)
  redis.call('HSET', key, 't', tostring(tokens), 'ts', tostring(ts))
  local ttl = 60000
  if rate > 0 then ttl = math.ceil((capacity - math.min(tokens, capacity)) / rate * 1000) + 60000 end
  redis.call('PEXPIRE', key, ttl)
end
`;

/** KEYS: buckets. ARGV: now, then capacity, rate, cost, floor per bucket. → {1} or {0, waitMs}. */
const TAKE_ALL = `${REFILL}
local now = tonumber(ARGV[1])
local levels = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  local capacity, rate, cost, floor = tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4])
  local tokens, ts = refill(key, capacity, rate, now)
  levels[i] = tokens
  local missing = cost + floor - tokens
  if missing > 0 then
    local ms = 1e12
    if rate > 0 then ms = missing / rate * 1000 end
    if ms > wait then wait = ms end
  end
end
if wait > 0 then return {0, tostring(wait)} end
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 4
  save(key, levels[i] - tonumber(ARGV[base + 3]), now, tonumber(ARGV[base + 1]), tonumber(ARGV[base + 2]))
end
return {1, '0'}
`;

/** KEYS[1]: bucket. ARGV: now, capacity, rate, delta (refund > 0 capped at capacity; charge < 0 may go negative). */
const ADJUST = `${REFILL}
local now, capacity, rate, delta = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, ts = refill(KEYS[1], capacity, rate, now)
tokens = tokens + delta
if tokens > capacity then tokens = capacity end
save(KEYS[1], tokens, ts, capacity, rate)
return tostring(tokens)
`;

/** KEYS[1]: bucket. ARGV: now, capacity, rate, remaining — lowers the tokens to `remaining`, never raises. */
const CAP_AT = `${REFILL}
local now, capacity, rate, remaining = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens, ts = refill(KEYS[1], capacity, rate, now)
if remaining < tokens then tokens = remaining end
save(KEYS[1], tokens, ts, capacity, rate)
return tostring(tokens)
`;

/** KEYS: buckets. ARGV: now, then capacity, rate per bucket. Read-only. */
const READ = `${REFILL}
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local tokens = refill(key, tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]), now)
  out[i] = tostring(tokens)
end
return out
`;

/** KEYS[1]: pause key. ARGV: until — extends only. A past value is harmless; the key expires after an hour. */
const PAUSE = `
local untilMs = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', 3600000) end
return tostring(math.max(current, untilMs))
`;

/**
 * The limiter store for agents in several processes (or hosts) sharing one provider quota: the same
 * operations as MemoryLimiterStore, each one Lua script, so a check-and-take across RPM and TPM buckets is
 * atomic in Redis and no two processes can spend the same tokens. Times come from the callers' clocks
 * (keep hosts NTP-synced); waiting callers poll (ProviderLimiter does, since `shared` is true).
 */
/** Where the store keeps its keys unless told otherwise; the Redis doctor checks ACL key patterns against it. */
export const DEFAULT_LIMITER_KEY_PREFIX = 'bulkhead:limiter:';

export class RedisLimiterStore implements LimiterStore {
  readonly shared = true;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisScriptClient,
    options: { prefix?: string } = {},
  ) {
    this.prefix = options.prefix ?? DEFAULT_LIMITER_KEY_PREFIX;
  }

  async tryTakeAll(requests: readonly TakeRequest[], now: number): Promise<TakeResult> {
    if (requests.length === 0) return { ok: true };
    const keys = requests.map((request) => this.bucketKey(request.spec));
    const args = requests.flatMap((request) => [request.spec.capacity, request.spec.refillPerSec, request.cost, request.floor ?? 0]);
    const reply = (await this.redis.eval(TAKE_ALL, keys.length, ...keys, now, ...args)) as [number, string];
    return reply[0] === 1 ? { ok: true } : { ok: false, waitMs: Number(reply[1]) };
  }

  async adjust(spec: BucketSpec, delta: number, now: number): Promise<void> {
    await this.redis.eval(ADJUST, 1, this.bucketKey(spec), now, spec.capacity, spec.refillPerSec, delta);
  }

  async capAt(spec: BucketSpec, remaining: number, now: number): Promise<void> {
    await this.redis.eval(CAP_AT, 1, this.bucketKey(spec), now, spec.capacity, spec.refillPerSec, remaining);
  }

  async read(specs: readonly BucketSpec[], now: number): Promise<number[]> {
    if (specs.length === 0) return [];
    const keys = specs.map((spec) => this.bucketKey(spec));
    const reply = (await this.redis.eval(READ, keys.length, ...keys, now, ...specs.flatMap((spec) => [spec.capacity, spec.refillPerSec]))) as string[];
    return reply.map(Number);
  }

  async pauseUntil(scope: string, until: number): Promise<void> {
    await this.redis.eval(PAUSE, 1, this.pauseKey(scope), until);
  }

  async pausedUntil(scope: string): Promise<number> {
    const reply = (await this.redis.eval("return redis.call('GET', KEYS[1]) or '0'", 1, this.pauseKey(scope))) as string;
    return Number(reply);
  }

  /** The client belongs to the caller (it may be shared); closing the store does not quit it. */
  async close(): Promise<void> {}

  private bucketKey(spec: BucketSpec): string {
    return `${this.prefix}bucket:${spec.key}`;
  }

  private pauseKey(scope: string): string {
    return `${this.prefix}pause:${scope}`;
  }
}
