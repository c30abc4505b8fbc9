import { randomBytes } from 'node:crypto';
import { DEFAULT_LIMITER_KEY_PREFIX } from '../../ratelimit/redis-limiter-store';
import { fail, pass, skip, warn, type DoctorStepDefinition } from '../doctor-step';
import type { RedisDoctorContext } from './redis-doctor-context';
import { RespErrorReply, type RespValue } from './resp-connection';

type RedisStep = DoctorStepDefinition<RedisDoctorContext>;

const who = (context: RedisDoctorContext): string => (context.target?.username ? `ACL user "${context.target.username}"` : 'the default user');

export const redisPingStep: RedisStep = {
  id: 'ping',
  title: 'PING',
  deadlineMs: 3000,
  async run(context, signal) {
    const connection = context.connection;
    if (!connection) return skip('no session');
    const started = performance.now();
    const reply = await connection.command(['PING'], signal);
    const ms = performance.now() - started;
    if (reply instanceof RespErrorReply) {
      if (reply.code === 'NOPERM') return fail(`${who(context)} may not run PING (NOPERM)`, `Grant the connection commands: \`ACL SETUSER ${context.target?.username ?? 'default'} +@connection\`.`, 'NOPERM', [reply.message]);
      if (reply.code === 'LOADING') return fail('Redis is loading its dataset into memory (LOADING)', 'Wait until the load finishes (INFO persistence shows loading:0), then retry.', 'LOADING', [reply.message]);
      return fail(`PING failed: ${reply.message}`, 'Check the server log.', reply.code);
    }
    const evidence = [`PING → ${String(reply)} in ${ms.toFixed(1)} ms`];
    const info = await connection.command(['INFO', 'server'], signal);
    const version = typeof info === 'string' ? /redis_version:([^\r\n]+)/.exec(info)?.[1] : undefined;
    if (version) evidence.push(`Redis ${version}`);
    else if (info instanceof RespErrorReply) evidence.push(`INFO server not allowed for this user (${info.code}): version unknown`);
    return pass(`PONG${version ? ` from Redis ${version}` : ''}`, evidence);
  },
};

/**
 * The limiter store runs every admission as a Lua script that reads and writes a hash under its key
 * prefix and sets its expiry. This step runs a script that does exactly that on a key of its own (which
 * expires within a second), so a missing +@scripting, an ACL key pattern that excludes the prefix, a
 * read-only replica or a server without Lua all show up here rather than in the first stress run.
 */
const PROBE_SCRIPT = `redis.call('HSET', KEYS[1], 't', ARGV[1], 'ts', ARGV[1])
redis.call('PEXPIRE', KEYS[1], 1000)
return redis.call('HMGET', KEYS[1], 't')[1]`;

export const redisScriptingStep: RedisStep = {
  id: 'scripting',
  title: 'Lua scripting (EVAL / EVALSHA)',
  deadlineMs: 5000,
  async run(context, signal) {
    const connection = context.connection;
    if (!connection) return skip('no session');
    const key = `${DEFAULT_LIMITER_KEY_PREFIX}doctor:${randomBytes(6).toString('hex')}`;
    const token = randomBytes(4).toString('hex');
    const user = context.target?.username ?? 'default';
    const evaluated = await connection.command(['EVAL', PROBE_SCRIPT, 1, key, token], signal);
    const evidence = [`EVAL of a script writing ${DEFAULT_LIMITER_KEY_PREFIX}doctor:… (expires in 1 s) → ${describe(evaluated)}`];
    if (evaluated instanceof RespErrorReply) {
      const remedy = scriptingRemedy(evaluated, user);
      // Not blocking: the eviction and latency checks still tell the user something true.
      return fail(remedy.detail, remedy.fix, remedy.code, evidence, false);
    }
    if (evaluated !== token) return fail('the script ran but returned something else', 'This is not a Redis that runs Lua as Redis does; use Redis 6 or newer (or a compatible server with Lua scripting).', 'SCRIPT_MISBEHAVES', evidence, false);
    // Clients that cache scripts (ioredis defineCommand, node-redis scripts) send EVALSHA after SCRIPT LOAD.
    const loaded = await connection.command(['SCRIPT', 'LOAD', PROBE_SCRIPT], signal);
    const sha = typeof loaded === 'string' ? await connection.command(['EVALSHA', loaded, 1, key, token], signal) : loaded;
    evidence.push(`SCRIPT LOAD + EVALSHA → ${describe(sha)}`);
    if (sha instanceof RespErrorReply) {
      return warn(
        'EVAL works, but SCRIPT LOAD / EVALSHA does not for this user',
        `Bulkhead's RedisLimiterStore sends EVAL, so it works; clients that cache scripts need EVALSHA too: \`ACL SETUSER ${user} +evalsha +script|load\`.`,
        sha.code,
        evidence,
      );
    }
    return pass(`${who(context)} may run the limiter's scripts on ${DEFAULT_LIMITER_KEY_PREFIX}*`, evidence);
  },
};

function scriptingRemedy(reply: RespErrorReply, user: string): { detail: string; fix: string; code: string } {
  const message = reply.message;
  if (reply.code === 'NOPERM' && /key|channel/i.test(message) && !/command/i.test(message)) {
    return {
      detail: `scripts may run, but not on the limiter's keys ${DEFAULT_LIMITER_KEY_PREFIX}* (NOPERM)`,
      fix: `Allow the prefix in the user's key patterns: \`ACL SETUSER ${user} ~${DEFAULT_LIMITER_KEY_PREFIX}*\`.`,
      code: 'NOPERM_KEYS',
    };
  }
  if (reply.code === 'NOPERM') {
    return {
      detail: `this user may not run Lua scripts (NOPERM): the limiter store needs EVAL`,
      fix: `Grant scripting and the hash commands the scripts use: \`ACL SETUSER ${user} +@scripting +hset +hmget +pexpire +get +set ~${DEFAULT_LIMITER_KEY_PREFIX}*\` (or add +@scripting to the user in users.acl).`,
      code: 'NOPERM',
    };
  }
  if (reply.code === 'READONLY') {
    return { detail: 'this Redis is a read-only replica (READONLY)', fix: 'Point BULKHEAD_REDIS_URL at the primary: the limiter writes on every admission.', code: 'READONLY' };
  }
  if (/unknown command/i.test(message)) {
    return {
      detail: 'the server does not know EVAL: scripting is disabled or renamed',
      fix: 'Use a Redis with Lua scripting (rename-command EVAL "" in redis.conf disables it; some Redis-compatible services lack it). Without it, run one process or use the in-memory store.',
      code: 'SCRIPTING_UNAVAILABLE',
    };
  }
  if (reply.code === 'OOM') {
    return { detail: 'Redis is out of memory and refuses writes (OOM)', fix: 'Raise maxmemory or free memory: with maxmemory-policy noeviction, a full Redis refuses every limiter admission.', code: 'OOM' };
  }
  return { detail: `the script failed: ${message}`, fix: 'Check the server log; the limiter store needs EVAL of scripts that write hashes under its prefix.', code: reply.code };
}

/** Policies under which Redis may delete keys when memory is full; every limiter key carries a TTL, so volatile-* ones count too. */
const EVICTING = /^(allkeys|volatile)-(lru|lfu|random|ttl)$/;

export const redisEvictionStep: RedisStep = {
  id: 'eviction',
  title: 'Eviction policy (maxmemory-policy)',
  deadlineMs: 3000,
  async run(context, signal) {
    const connection = context.connection;
    if (!connection) return skip('no session');
    const reply = await connection.command(['CONFIG', 'GET', 'maxmemory*'], signal);
    if (reply instanceof RespErrorReply) {
      const why = reply.code === 'NOPERM' ? `${who(context)} may not run CONFIG GET (NOPERM)` : /unknown command/i.test(reply.message) ? 'CONFIG is disabled or renamed on this server (managed services often do this)' : `CONFIG GET failed: ${reply.message}`;
      return warn(
        `cannot read maxmemory-policy: ${why}`,
        "Check the policy where you can (the provider's console, or an admin user's `CONFIG GET maxmemory-policy`): it should be noeviction, so Redis never deletes limiter state to make room.",
        'CONFIG_FORBIDDEN',
        [reply.message],
      );
    }
    const settings = toPairs(reply);
    const policy = settings.get('maxmemory-policy') ?? 'unknown';
    const maxmemory = Number(settings.get('maxmemory') ?? '0');
    const evidence = [`maxmemory-policy ${policy}`, `maxmemory ${maxmemory === 0 ? '0 (no limit)' : `${maxmemory} bytes`}`];
    if (EVICTING.test(policy)) {
      return warn(
        `maxmemory-policy ${policy} lets Redis delete limiter keys when memory is full${maxmemory === 0 ? ' (no maxmemory is set yet, so only once one is)' : ''}`,
        `An evicted bucket comes back full, so every process may spend the quota again (429s). Set \`CONFIG SET maxmemory-policy noeviction\` (and in redis.conf), or give the limiter its own Redis; the limiter's keys all expire by themselves, so volatile-* policies evict them too.`,
        'EVICTION_POLICY',
        evidence,
      );
    }
    return pass(`maxmemory-policy ${policy}: limiter keys are never evicted`, evidence);
  },
};

const LATENCY_PINGS = 20;

export const redisLatencyStep: RedisStep = {
  id: 'latency',
  title: `Latency (${LATENCY_PINGS} round trips)`,
  deadlineMs: 10_000,
  async run(context, signal) {
    const connection = context.connection;
    if (!connection) return skip('no session');
    const times: number[] = [];
    for (let i = 0; i < LATENCY_PINGS; i += 1) {
      const started = performance.now();
      await connection.command(['PING'], signal);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const max = times[times.length - 1] ?? 0;
    const evidence = [`median ${median.toFixed(2)} ms, max ${max.toFixed(2)} ms over ${LATENCY_PINGS} PINGs`, 'each limiter admission is one round trip to the store'];
    if (median > 10) {
      return warn(`round trips take ${median.toFixed(1)} ms (median)`, 'Every provider call waits this long for its admission: put the store close to the agents (same region or host), or keep the in-memory store for a single process.', 'SLOW_STORE', evidence);
    }
    return pass(`median ${median.toFixed(2)} ms per round trip`, evidence);
  },
};

function describe(value: RespValue): string {
  if (value instanceof RespErrorReply) return `-${value.message}`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return String(value);
}

function toPairs(value: RespValue): Map<string, string> {
  const pairs = new Map<string, string>();
  if (!Array.isArray(value)) return pairs;
  for (let i = 0; i + 1 < value.length; i += 2) pairs.set(String(value[i]), String(value[i + 1]));
  return pairs;
}
