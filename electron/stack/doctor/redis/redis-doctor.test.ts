import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../../shared/contract/doctor';
import { REDIS_DOCTOR_STEP_IDS } from '../../../../shared/contract/doctor';
import { findFreePort } from '../../db/embedded/free-port';
import { redisServerUnavailable, startRedisTestServer, type RedisTestServer } from '../../testing/redis-test-server';
import { runRedisDoctor } from './run-redis-doctor';

/**
 * The Redis doctor against real redis-server processes this file starts on free loopback ports, one per
 * configuration a user meets: open, password required, an ACL user without scripting, an evicting
 * policy; and a port nothing listens on.
 */
const unavailable = redisServerUnavailable();
if (unavailable) console.warn(`Redis doctor tests skipped: ${unavailable}`);

const PASSWORD = 'doctor-pw-7c1e9a';
const ACL_PASSWORD = 'acl-pw-3b5d2f';
const servers: RedisTestServer[] = [];
let open: RedisTestServer;
let withPassword: RedisTestServer;
let evicting: RedisTestServer;

beforeAll(async () => {
  if (unavailable) return;
  [open, withPassword, evicting] = await Promise.all([
    startRedisTestServer(),
    startRedisTestServer([
      `requirepass ${PASSWORD}`,
      // An ACL user that may do everything but run scripts, and one whose keys exclude the limiter's prefix.
      `user noscript on >${ACL_PASSWORD} ~* &* +@all -@scripting`,
      `user otherkeys on >${ACL_PASSWORD} ~app:* &* +@all -@dangerous`,
    ]),
    startRedisTestServer(['maxmemory 64mb', 'maxmemory-policy allkeys-lru']),
  ]);
  servers.push(open, withPassword, evicting);
}, 30_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

const byId = (report: DoctorReport, id: string) => report.steps.find((step) => step.id === id)!;
const printed = (report: DoctorReport): string => JSON.stringify(report);

describe.skipIf(unavailable !== null)('Redis doctor against real redis-server processes', () => {
  it('passes every step on an open Redis with noeviction, in the contract order', async () => {
    const report = await runRedisDoctor({ url: open.url });
    expect(report.steps.map((step) => step.id)).toEqual([...REDIS_DOCTOR_STEP_IDS]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.status)).toEqual(['pass', 'pass', 'pass', 'skip', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(byId(report, 'ping').detail).toMatch(/PONG from Redis 7\./);
    expect(byId(report, 'eviction').detail).toMatch(/noeviction/);
  });

  it('a server with requirepass and no password in the URL: auth fails with NOAUTH and the URL form to use', async () => {
    const report = await runRedisDoctor({ url: withPassword.url });
    expect(report.ok).toBe(false);
    expect(byId(report, 'auth')).toMatchObject({ status: 'fail', code: 'NOAUTH' });
    expect(byId(report, 'auth').remedy).toContain('redis://:<password>@host:port');
    expect(byId(report, 'ping').status).toBe('skip');
  });

  it('a wrong password: WRONGPASS, and neither password is ever printed', async () => {
    const wrong = 'not-the-pw-91f0';
    const report = await runRedisDoctor({ url: `redis://:${wrong}@127.0.0.1:${withPassword.port}` });
    expect(byId(report, 'auth')).toMatchObject({ status: 'fail', code: 'WRONGPASS' });
    expect(byId(report, 'auth').remedy).toContain('requirepass');
    expect(report.target).toBe(`redis://:****@127.0.0.1:${withPassword.port}`);
    expect(printed(report)).not.toContain(wrong);
    expect(printed(report)).not.toContain(PASSWORD);
  });

  it('the right password passes every step, and is not printed either', async () => {
    const report = await runRedisDoctor({ url: `redis://:${PASSWORD}@127.0.0.1:${withPassword.port}/2` });
    expect(report.ok).toBe(true);
    expect(byId(report, 'auth').detail).toContain('SELECT 2 → OK');
    expect(printed(report)).not.toContain(PASSWORD);
  });

  it('an ACL user without +@scripting: the scripting step fails with NOPERM and the ACL SETUSER fix', async () => {
    const report = await runRedisDoctor({ url: `redis://noscript:${ACL_PASSWORD}@127.0.0.1:${withPassword.port}` });
    expect(byId(report, 'auth')).toMatchObject({ status: 'pass', detail: expect.stringContaining('ACL user "noscript"') });
    expect(byId(report, 'ping').status).toBe('pass');
    expect(byId(report, 'scripting')).toMatchObject({ status: 'fail', code: 'NOPERM' });
    expect(byId(report, 'scripting').remedy).toContain('ACL SETUSER noscript +@scripting');
    expect(report.ok).toBe(false);
    expect(printed(report)).not.toContain(ACL_PASSWORD);
  });

  it('an ACL user whose key patterns exclude the limiter prefix: NOPERM_KEYS, and CONFIG GET forbidden is said, not guessed', async () => {
    const report = await runRedisDoctor({ url: `redis://otherkeys:${ACL_PASSWORD}@127.0.0.1:${withPassword.port}` });
    expect(byId(report, 'scripting')).toMatchObject({ status: 'fail', code: 'NOPERM_KEYS' });
    expect(byId(report, 'scripting').remedy).toContain('~bulkhead:limiter:*');
    // The scripting failure does not block: the eviction step still runs and says why it cannot read the policy.
    expect(byId(report, 'eviction')).toMatchObject({ status: 'warn', code: 'CONFIG_FORBIDDEN' });
    expect(byId(report, 'eviction').detail).toContain('NOPERM');
  });

  it('maxmemory-policy allkeys-lru: a warning that limiter keys can be evicted, with the noeviction fix', async () => {
    const report = await runRedisDoctor({ url: evicting.url });
    expect(report.ok).toBe(true);
    expect(byId(report, 'eviction')).toMatchObject({ status: 'warn', code: 'EVICTION_POLICY' });
    expect(byId(report, 'eviction').detail).toContain('allkeys-lru');
    expect(byId(report, 'eviction').remedy).toContain('CONFIG SET maxmemory-policy noeviction');
  });

  it('rediss:// to a plain Redis: the TLS step times out and says the port speaks plain Redis', async () => {
    const report = await runRedisDoctor({ url: `rediss://127.0.0.1:${open.port}` });
    expect(byId(report, 'tls')).toMatchObject({ status: 'fail', code: 'TIMEOUT' });
    expect(byId(report, 'tls').remedy).toContain('Use redis:// for this port');
  });

  it('a closed port: the TCP step fails with ECONNREFUSED and says how to start Redis; the rest are skipped', async () => {
    const port = await findFreePort();
    const report = await runRedisDoctor({ url: `redis://:${PASSWORD}@127.0.0.1:${port}` });
    expect(byId(report, 'tcp')).toMatchObject({ status: 'fail', code: 'ECONNREFUSED' });
    expect(byId(report, 'tcp').remedy).toContain('redis-server');
    expect(report.steps.slice(3).every((step) => step.status === 'skip')).toBe(true);
    expect(printed(report)).not.toContain(PASSWORD);
  });
});

describe('Redis doctor URL step (no server needed)', () => {
  it.each([
    ['postgres://localhost:6379', 'URL_SCHEME'],
    ['redis://localhost:6379/abc', 'URL_DB'],
    ['not a url', 'URL_INVALID'],
    ['', 'URL_EMPTY'],
  ])('%s → %s', async (url, code) => {
    const report = await runRedisDoctor({ url });
    expect(report.steps[0]).toMatchObject({ id: 'url', status: 'fail', code });
    expect(report.steps[0]!.remedy).toBeTruthy();
  });
});
