import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../stack/db/embedded/free-port';
import { redisServerUnavailable, startRedisTestServer, type RedisTestServer } from '../../stack/testing/redis-test-server';
import { runCli } from '../run-cli';

const unavailable = redisServerUnavailable();
const PASSWORD = 'cli-redis-pw-44aa';
let server: RedisTestServer | undefined;

beforeAll(async () => {
  if (!unavailable) server = await startRedisTestServer([`requirepass ${PASSWORD}`]);
}, 20_000);
afterAll(async () => server?.stop());

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: {}, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe.skipIf(unavailable !== null)('bulkhead doctor --redis (real redis-server)', () => {
  it('--json prints {ok, target, steps} with the password masked and exits 0 when healthy', async () => {
    const { code, stdout } = await cli(['doctor', '--redis', `redis://:${PASSWORD}@127.0.0.1:${server!.port}`, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; target: string; steps: { id: string }[] };
    expect(Object.keys(report).sort()).toEqual(['ok', 'steps', 'target']);
    expect(report.target).toBe(`redis://:****@127.0.0.1:${server!.port}`);
    expect(report.steps.map((step) => step.id)).toContain('scripting');
    expect(stdout).not.toContain(PASSWORD);
  });

  it('exits 1 naming the step and the fix: no password for a server that needs one', async () => {
    const { code, stdout } = await cli(['doctor', '--redis', server!.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ Authentication \(AUTH \/ ACL\)\s+Redis requires a password and the URL has none \(NOAUTH\)\s+\[NOAUTH\]/);
    expect(stdout).toMatch(/fix: Put the password in the URL/);
    expect(stdout).toMatch(/result: failed at Authentication \(AUTH \/ ACL\) \(NOAUTH\)/);
  });
});

describe('bulkhead doctor --redis usage', () => {
  it('a closed port exits 1 at TCP; an empty URL or --redis with --url exits 2', async () => {
    const closed = await cli(['doctor', '--redis', `redis://127.0.0.1:${await findFreePort()}`]);
    expect(closed.code).toBe(1);
    expect(closed.stdout).toMatch(/✗ TCP connection\s+nothing accepts connections/);
    expect((await cli(['doctor', '--redis', ''])).code).toBe(2);
    const both = await cli(['doctor', '--redis', 'redis://localhost', '--url', 'postgres://localhost/db']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--redis diagnoses the Redis store');
  });
});
