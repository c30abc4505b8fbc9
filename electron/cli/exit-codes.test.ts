import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock } from '../stack/store/data-dir-lock';
import { makeTempDir } from '../stack/testing/temp-dir';
import { EXIT, type CliIo } from './command';
import { EXIT_REGRESSION } from './commands/stress';
import { runCli } from './run-cli';
import { runBulkhead } from './testing/run-bulkhead';

/**
 * The exit codes README documents, command by command, for the cases no other test covers (see the
 * README's table for which test covers the rest): each one run the way a user or a CI script meets it.
 */

const dirs: Array<{ remove: () => void }> = [];
const servers: Server[] = [];
afterEach(async () => {
  dirs.splice(0).forEach((dir) => dir.remove());
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}

function capture(signal = new AbortController().signal): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal }, out: () => out, err: () => err };
}

function aborted(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('received SIGINT'));
  return controller.signal;
}

/** A port something already listens on. */
async function takenPort(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

function noopProfile(dir: string, name: string, rate: number, durationS: number): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, mix: { noop: 1 }, stages: [{ executor: 'constant-arrival-rate', durationS, rate }], maxVUs: 50, thresholds: { errors: ['rate<0.5'] } }));
  return path;
}

describe('exit codes, as README lists them', () => {
  it('serve: 1 when it cannot start (the data dir is in use), with the reason and the fix', async () => {
    const dataDir = tempDir();
    const lock = acquireDataDirLock(dataDir, 'test');
    try {
      const end = await runBulkhead(['serve', '--data-dir', dataDir]);
      expect(end.code).toBe(EXIT.failed);
      expect(end.stderr).toContain('is using the data dir');
      expect(end.stderr).toContain('fix: ');
    } finally {
      lock.release();
    }
  }, 60_000);

  it('serve: 2 on a usage error', async () => {
    expect(await runCli(['serve', '--port', '70000'], capture().io)).toBe(EXIT.usage);
  });

  it('doctor: 130 when interrupted — its skipped steps are not a pass', async () => {
    const h = capture(aborted());
    expect(await runCli(['doctor', '--url', 'postgres://app@127.0.0.1:1/rag', '--data-dir', tempDir()], h.io)).toBe(EXIT.interrupted);
  });

  it('stress: 3 when the thresholds held but the run regressed against the baseline', async () => {
    const dir = tempDir();
    const save = capture();
    expect(await runCli(['stress', '--profile', noopProfile(dir, 'gate', 200, 7), '--save-baseline', 'fast', '--data-dir', dir], save.io)).toBe(EXIT.ok);
    // The same profile at half the rate: throughput per window falls by half.
    const slower = capture();
    const code = await runCli(['stress', '--profile', noopProfile(dir, 'gate', 200, 7), '--rate', '100', '--baseline', 'fast', '--data-dir', dir], slower.io);
    expect(slower.out()).toContain('regressed against baseline "fast"');
    expect(code).toBe(EXIT_REGRESSION);
  }, 60_000);

  it('chaos run: 0 when the stack recovered', async () => {
    const h = capture();
    const code = await runCli(['chaos', 'run', 'provider-outage', '--start-after', '1', '--fault', '1', '--recovery-bound', '10', '--data-dir', tempDir()], h.io);
    expect(h.out()).toContain('provider-outage — recovered');
    expect(code).toBe(EXIT.ok);
  }, 60_000);

  it('chaos run: 1 when the scenario cannot run (its database is unusable), saying why', async () => {
    const end = await runBulkhead(['chaos', 'run', 'db-terminate', '--data-dir', tempDir()], { DATABASE_URL: 'postgres://u:p@ss:w/rd#1@127.0.0.1:5432/db' });
    expect(end.code).toBe(EXIT.failed);
    expect(end.stderr).toContain('URL');
    expect(end.stderr).not.toContain('internal error');
  }, 60_000);

  it('chaos run: 130 when interrupted', async () => {
    expect(await runCli(['chaos', 'run', 'provider-outage', '--data-dir', tempDir()], capture(aborted()).io)).toBe(EXIT.interrupted);
  }, 60_000);

  it('chaos list: 0', async () => {
    const h = capture();
    expect(await runCli(['chaos', 'list', '--data-dir', tempDir()], h.io)).toBe(EXIT.ok);
    expect(h.out()).toContain('provider-outage');
  });

  it('chaos proxy and simulator: 1 when they cannot listen', async () => {
    const port = await takenPort();
    const proxy = capture();
    expect(await runCli(['chaos', 'proxy', '--upstream', '127.0.0.1:5432', '--listen', String(port)], proxy.io)).toBe(EXIT.failed);
    expect(proxy.err()).toContain('could not listen');
    const simulator = capture();
    expect(await runCli(['simulator', '--port', String(port)], simulator.io)).toBe(EXIT.failed);
    expect(simulator.err()).toContain('could not listen');
  });

  it('bench: 130 when interrupted', async () => {
    expect(await runCli(['bench', '--quick', '--filter', 'mapBounded'], capture(aborted()).io)).toBe(EXIT.interrupted);
  }, 60_000);
});
