import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { EXIT, type CliIo } from '../command';
import { runCli } from '../run-cli';

const dirs: Array<{ remove: () => void }> = [];
afterEach(() => dirs.splice(0).forEach((dir) => dir.remove()));

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

/** A profile of no-op requests: exercises the whole command without a database or provider. */
function noopProfile(dir: string, thresholds: Record<string, string[]>): string {
  const path = join(dir, 'noop.json');
  writeFileSync(path, JSON.stringify({ name: 'noop', mix: { noop: 1 }, stages: [{ executor: 'constant-arrival-rate', durationS: 1, rate: 200 }], maxVUs: 50, thresholds }));
  return path;
}

describe('bulkhead stress', () => {
  it.each([
    [[], '--profile is required'],
    [['--profile', 'light', '--mode', 'chaotic'], '--mode must be one of governed, adaptive, unbounded'],
    [['--profile', 'light', '--rate', 'fast'], '--rate must be a decimal number'],
    [['--profile', 'light', '--rate', '0x10'], '--rate must be a decimal number such as 5 or 2.5, got "0x10" (no hex, exponents or units)'],
    [['--profile', 'light', '--rate', '1e3'], '--rate must be a decimal number'],
    [['--profile', 'light', '--duration', '-5'], '--duration must be between 0.1 and 604800, got -5.'],
    [['--profile', 'light', '--duration'], '--duration needs a value, but the next argument is "--data-dir".'],
    [['--profile', 'light', '--durration', '5'], 'unknown option --durration — did you mean --duration?'],
    [['--profile', 'lihgt'], 'there is no stress profile named "lihgt" — did you mean "light"?'],
    [['--profile', 'light', '--duration', '0'], '--duration must be between'],
    [['--profile', 'light', '--provider', 'simulator', '--provider-url', 'http://127.0.0.1:1/v1'], '--provider-url cannot be used with --provider simulator'],
    [['--profile', 'light', '--provider-url', 'localhost:8080'], '--provider-url must start with http:// or https://'],
    [['--profile', 'light', '--baseline', 'a', '--save-baseline', 'b'], 'either --baseline NAME or --save-baseline NAME'],
    [['--profile', 'haevy'], 'no stress profile named "haevy"'],
  ])('rejects %j with exit 2: one line naming the flag, then where the help is', async (args, message) => {
    const { io, err } = capture();
    expect(await runCli(['stress', ...args, '--data-dir', tempDir()], io)).toBe(EXIT.usage);
    expect(err()).toContain(message);
    const lines = err().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bulkhead stress: /);
    expect(lines[1]).toBe('see `bulkhead stress --help`');
  });

  it('names the field of a broken custom profile as a usage error', async () => {
    const dir = tempDir();
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ name: 'bad', stages: [{ executor: 'constant-arrival-rate', durationS: 5, rate: -1 }], maxVUs: 5 }));
    const { io, err } = capture();
    expect(await runCli(['stress', '--profile', path, '--data-dir', dir], io)).toBe(EXIT.usage);
    expect(err()).toContain('stages[0].rate');
  });

  it('prints nothing but the documented JSON with --json, and exits 0 when the thresholds hold', async () => {
    const dir = tempDir();
    const { io, out } = capture();
    const code = await runCli(['stress', '--profile', noopProfile(dir, { errors: ['rate<0.01'], latency_ms: ['p(99)<1000'] }), '--json', '--data-dir', dir], io);
    expect(code).toBe(EXIT.ok);
    const lines = out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['run_id', 'profile', 'mode', 'ok', 'thresholds', 'requests', 'rate', 'latency_ms', 'errors', 'provider', 'db', 'runtime']));
    expect(result).toMatchObject({
      profile: 'noop',
      mode: 'governed',
      ok: true,
      requests: { planned: 200, completed: 200, failed: 0, dropped: 0 },
      rate: { target: 200 },
      provider: { http_429: 0, retries: 0 },
      db: { max_server_connections: null, pool_max: null },
    });
    expect(Object.keys(result.latency_ms as object)).toEqual(['p50', 'p90', 'p95', 'p99', 'max']);
    expect(result.thresholds).toEqual([
      { expr: 'errors: rate<0.01', ok: true, value: 0 },
      expect.objectContaining({ expr: 'latency_ms: p(99)<1000', ok: true }),
    ]);
  });

  it('exits 1 when a threshold fails, and says which in the report', async () => {
    const dir = tempDir();
    const { io, out } = capture();
    const code = await runCli(['stress', '--profile', noopProfile(dir, { latency_ms: ['max<0'] }), '--data-dir', dir], io);
    expect(code).toBe(EXIT.failed);
    expect(out()).toContain('verdict     failed — 0 of 1 thresholds held');
    expect(out()).toContain('✗ latency_ms: max<0');
  });

  it('answers an unknown or unavailable chaos scenario with exit 2 before running', async () => {
    const dir = tempDir();
    const { io, err, out } = capture();
    const code = await runCli(['stress', '--profile', noopProfile(dir, {}), '--chaos', 'no-such-scenario', '--data-dir', dir], io);
    expect(code).toBe(EXIT.usage);
    expect(err()).toMatch(/chaos/i);
    expect(out()).toBe('');
  });
});
