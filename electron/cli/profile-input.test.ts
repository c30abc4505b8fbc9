import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../shared/contract/stress';
import { PROFILE_MAX_BYTES } from '../../shared/contract/stress-profile';
import { EXIT, type CliIo } from './command';
import { runCli } from './run-cli';
import { silentLogger } from '../stack/log/logger';
import { startStack, type Stack } from '../stack/stack';
import { makeTempDir } from '../stack/testing/temp-dir';

/**
 * Issue 9 item 3: over the contract a profile is a name or JSON content, never a path; the CLI reads a
 * path only if it is a regular file under the size cap, asynchronously, and no error quotes a file.
 */

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  return dir.path;
}

function fifo(dir: string, name = 'fifo.json'): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

const noop = { name: 'tiny', mix: { noop: 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: 0.5, rate: 10 }], maxVUs: 5 };

function deepArray(depth: number): unknown {
  const root: unknown[] = [];
  let at = root;
  for (let i = 0; i < depth; i++) {
    const next: unknown[] = [];
    at.push(next);
    at = next;
  }
  return root;
}

async function stack(): Promise<Stack> {
  const started = await startStack({ dataDir: tempDir(), role: 'test', log: silentLogger, env: {} });
  cleanups.push(() => started.stop());
  return started;
}

const start = (s: Stack, profile: unknown) => s.dispatcher.dispatch('stress.start', { profile }, { transport: 'http' });

describe('stress.start: a profile is a name or JSON content', () => {
  it.each([
    ['a FIFO', (dir: string) => fifo(dir)],
    ['/etc/passwd by a relative path', () => '../../../../../../../../etc/passwd'],
    ['an absolute path', () => '/etc/passwd'],
    ['a .json file name', () => 'profile.json'],
  ])('refuses %s at parse time, reading nothing', async (_what, path) => {
    const s = await stack();
    const refused = await start(s, path(tempDir()));
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'profile', message: expect.stringContaining('send its JSON content') }] } });
    expect(JSON.stringify(refused)).not.toContain('root:');
  });

  it('runs a profile sent as JSON content', async () => {
    const s = await stack();
    const finished = new Promise<RunRecord>((resolve) => s.hub.subscribe('stress.finished', resolve));
    expect(await start(s, noop)).toMatchObject({ ok: true });
    const record = await finished;
    expect(record).toMatchObject({ status: 'completed', name: 'tiny', config: { profile: { name: 'tiny' } } });
  });

  it('refuses content over the size cap, nested too deeply, or of the wrong shape, without echoing it', async () => {
    const s = await stack();
    const big = { ...noop, thresholds: { latency_ms: Array.from({ length: PROFILE_MAX_BYTES / 10 }, () => 'p(95)<800') } };
    expect(await start(s, big)).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'profile', message: expect.stringContaining('larger than 64 KiB') }] } });
    expect(await start(s, { ...noop, stages: deepArray(20_000) })).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'profile', message: expect.stringContaining('nested too deeply') }] } });
    const shape = await start(s, { ...noop, stages: deepArray(50), 'root:x:0:0:root:/root:/bin/bash': 1 });
    expect(shape).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(JSON.stringify(shape)).toContain('"path":"profile.stages.0"');
    expect(JSON.stringify(shape)).not.toContain('root:x');
    expect(await start(s, 42)).toMatchObject({ ok: false, error: { issues: [{ message: 'give a profile name, or the profile as a JSON object' }] } });
  });
});

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env: {}, signal: new AbortController().signal },
    out: () => out,
    err: () => err,
  };
}

describe('bulkhead stress --profile FILE', () => {
  const cli = async (profile: string): Promise<{ code: number; err: string }> => {
    const { io, err } = capture();
    const code = await runCli(['stress', '--profile', profile, '--data-dir', tempDir()], io);
    return { code, err: err() };
  };

  it('refuses a FIFO without blocking on it', async () => {
    const { code, err } = await cli(fifo(tempDir()));
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('is a named pipe (FIFO), not a regular file');
  });

  it.each([
    ['/etc/passwd', '/etc/passwd'],
    ['a relative path to /etc/passwd', '../../../../../../../../../etc/passwd'],
  ])('reads %s only to say it is not JSON, quoting none of it', async (_what, path) => {
    const { code, err } = await cli(path);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('is not valid JSON (line 1, column 1)');
    expect(err).not.toMatch(/root:|daemon|\/bin\//);
  });

  it('refuses folders, devices and files over the size cap', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder.json'));
    expect((await cli(join(dir, 'folder.json'))).err).toContain('is a folder, not a regular file');
    expect((await cli('/dev/zero')).err).toContain('is a device, not a regular file');
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ ...noop, description: 'x'.repeat(PROFILE_MAX_BYTES) }));
    const oversized = await cli(big);
    expect(oversized.code).toBe(EXIT.usage);
    expect(oversized.err).toContain('is larger than 64 KiB');
  });

  it('names the field of deeply nested JSON, and the position of broken JSON, without the text', async () => {
    const dir = tempDir();
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `{"name":"deep","maxVUs":1,"stages":${'['.repeat(30_000)}${']'.repeat(30_000)}}`);
    const nested = await cli(deep);
    expect(nested.code).toBe(EXIT.usage);
    expect(nested.err).toContain('stages[0]');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "name": "x",\n  "stages": sk-proj-SECRETINFILE\n}');
    const syntax = await cli(broken);
    expect(syntax.err).toContain('is not valid JSON (line 3, column 13)');
    expect(syntax.err).not.toContain('SECRETINFILE');
  });
});
