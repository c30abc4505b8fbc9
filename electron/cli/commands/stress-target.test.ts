import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppStore } from '../../stack/store/app-store';
import { createRunsRepo } from '../../stack/stress/runs-repo';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

const dirs: Array<{ remove: () => void }> = [];
const servers: Server[] = [];
afterEach(() => {
  dirs.splice(0).forEach((dir) => dir.remove());
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

interface Seen {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

async function recordingServer(): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      res.end('ok');
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/agent`, seen };
}

const SECRET = 'sk-live-9fQ2xT7bLm4Rk8Wz3Hc6Vn1Jp5Ds';

describe('bulkhead stress --target', () => {
  it('runs a constant-arrival run from --rate and --duration, fills the body template, and never stores or prints the secret header', async () => {
    const dir = tempDir();
    const { url, seen } = await recordingServer();
    const run = capture();
    const code = await runCli(
      ['stress', '--target', url, '--rate', '5', '--duration', '2', '--header', `Authorization: Bearer ${SECRET}`, '--header', 'X-Team: search',
        '--body', '{"question":"{{question}}","seq":{{seq}},"id":"{{uuid}}"}', '--json', '--data-dir', dir],
      run.io,
    );
    expect(code).toBe(EXIT.ok);
    const summary = JSON.parse(run.out()) as { requests: { planned: number; completed: number }; target: { sent: number; method: string; status: Record<string, number> }; verdict: string };
    expect(summary.requests).toMatchObject({ planned: 10, completed: 10 });
    expect(summary.target).toMatchObject({ sent: 10, method: 'POST', status: { '200': 10 } });
    expect(seen).toHaveLength(10);
    // The target got the real header and a filled-in JSON body per arrival.
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    const bodies = seen.map((s) => JSON.parse(s.body) as { question: string; seq: number; id: string });
    expect(new Set(bodies.map((b) => b.seq))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(10);
    expect(bodies[0]!.question.length).toBeGreaterThan(10);
    // Nowhere it is shown or stored.
    expect(run.out() + run.err()).not.toContain(SECRET);
    const store = openAppStore({ dataDir: dir });
    try {
      const [record] = createRunsRepo(store.db).list(1, {});
      expect(record!.config.profile.target!.headers).toEqual({ Authorization: 'Bearer ****', 'X-Team': 'search' });
      expect(JSON.stringify(record)).not.toContain(SECRET);
    } finally {
      store.close();
    }
  });

  it('lays the target over a profile file: its stages and thresholds (ttfb_ms included) drive the endpoint', async () => {
    const dir = tempDir();
    const { url, seen } = await recordingServer();
    const path = join(dir, 'endpoint.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'endpoint',
        stages: [{ executor: 'constant-arrival-rate', durationS: 1, rate: 6 }],
        maxVUs: 20,
        thresholds: { ttfb_ms: ['p(95)<60000'], errors: ['rate<0.01'] },
        target: { url: 'http://127.0.0.1:9/unused', method: 'PUT', headers: { 'X-From-Profile': 'yes' } },
      }),
    );
    const run = capture();
    expect(await runCli(['stress', '--profile', path, '--target', url, '--json', '--data-dir', dir], run.io)).toBe(EXIT.ok);
    const summary = JSON.parse(run.out()) as { thresholds: Array<{ expr: string; ok: boolean }> };
    expect(summary.thresholds.map((t) => t.expr)).toEqual(['ttfb_ms: p(95)<60000', 'errors: rate<0.01']);
    expect(seen).toHaveLength(6);
    expect(seen[0]).toMatchObject({ method: 'PUT', headers: { 'x-from-profile': 'yes' } });
  });

  it('fails the run (exit 1) when the target answers outside --expect-status', async () => {
    const dir = tempDir();
    const { url } = await recordingServer();
    const run = capture();
    expect(await runCli(['stress', '--target', url, '--rate', '4', '--duration', '1', '--expect-status', '201', '--json', '--data-dir', dir], run.io)).toBe(EXIT.failed);
    const summary = JSON.parse(run.out()) as { errors: Record<string, number>; target: { status: Record<string, number> } };
    expect(summary.errors).toEqual({ unexpected_status: 4 });
    expect(summary.target.status).toEqual({ '200': 4 });
  });

  it.each([
    [['--target', 'ftp://example.test/x'], /--target must start with http:\/\/ or https:\/\//],
    [['--target', `http://user:${SECRET}@127.0.0.1:9/`], /--target must not carry a user name or password/],
    [['--target', `http://127.0.0.1:9/?api_key=${SECRET}`], /must not carry a key, token or password in its query/],
    [['--target', 'http://127.0.0.1:9/', '--header', `Authorization Bearer ${SECRET}`], /--header is not 'Name: value'/],
    [['--target', 'http://127.0.0.1:9/', '--header', 'Host: elsewhere'], /--header sets host/],
    [['--target', 'http://127.0.0.1:9/', '--body', '{"q": {{question}'], /--body is not JSON/],
    [['--target', 'http://127.0.0.1:9/', '--body', '{"q":"{{prompt}}"}'], /--body uses \{\{prompt\}\}, which is not a template variable/],
    [['--target', 'http://127.0.0.1:9/', '--body', '{}', '--body-file', 'x.json'], /either --body or --body-file/],
    [['--target', 'http://127.0.0.1:9/', '--expect-status', '2xz'], /--expect-status lists something/],
    [['--target', 'http://127.0.0.1:9/', '--method', 'FETCH'], /--method must be one of/],
    [['--header', 'X: y'], /--header describes an HTTP target; give --target URL too/],
    [['--target', 'http://127.0.0.1:9/', '--provider', 'openai'], /a --target run sends its requests to the target only/],
  ])('refuses %j as a usage error that names the flag, without repeating a secret', async (args, message) => {
    const run = capture();
    expect(await runCli(['stress', ...args, '--data-dir', tempDir()], run.io)).toBe(EXIT.usage);
    expect(run.err()).toMatch(message);
    expect(run.err()).not.toContain(SECRET);
  });

  it('reads --body-file only as a small regular file (a FIFO is refused without hanging)', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'body.fifo');
    execFileSync('mkfifo', [fifo]);
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ pad: 'x'.repeat(40_000) }));
    for (const [file, message] of [[fifo, /not a regular file/], [big, /larger than|at most/]] as const) {
      const run = capture();
      expect(await runCli(['stress', '--target', 'http://127.0.0.1:9/', '--body-file', file, '--data-dir', dir], run.io)).toBe(EXIT.usage);
      expect(run.err()).toMatch(message);
    }
  });
});
