import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../stack/db/testing/test-database';
import { runCli } from '../run-cli';
import { removeDataDir } from '../../stack/db/testing/remove-data-dir';

const db = useTestDatabase('cli_doctor');
const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-cli-doctor-'));
afterAll(() => removeDataDir(dataDir));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: { BULKHEAD_DATA_DIR: dataDir }, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('bulkhead doctor', () => {
  it('--json prints exactly {ok, target, steps[{id, title, status, detail, remedy?, code?, ms}]} and exits 0 when healthy', async () => {
    const { code, stdout } = await cli(['doctor', '--url', db.url, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown> & { steps: Record<string, unknown>[] };
    expect(Object.keys(report).sort()).toEqual(['ok', 'steps', 'target']);
    for (const step of report.steps) {
      for (const key of Object.keys(step)) expect(['id', 'title', 'status', 'detail', 'remedy', 'code', 'ms']).toContain(key);
      expect(['pass', 'warn', 'fail', 'skip']).toContain(step.status);
    }
  });

  it('exits 1 naming the failing step, and saves the report for the Doctor page', async () => {
    const { code, stdout } = await cli(['doctor', '--url', 'postgres://app:pw@127.0.0.1:1/rag']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ TCP connection\s+nothing accepts connections on 127\.0\.0\.1:1 \(ECONNREFUSED\)/);
    // The remedy depends on where the test runs (host or container, a PostgreSQL on 5432 or not).
    expect(stdout).toMatch(/fix: .*(Nothing listens|Inside a container)/);
    expect(stdout).toMatch(/result: failed at TCP connection \(ECONNREFUSED\)\s+\(report #\d+ saved/);
    expect(stdout.includes('\u001b[')).toBe(false); // no colour when not a TTY
  });

  it('exits 2 for a missing --env-file or an empty --url, naming the flag', async () => {
    const missing = await cli(['doctor', '--env-file', 'does-not-exist.env']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--env-file does-not-exist.env: no such file/);
    expect((await cli(['doctor', '--url', ''])).code).toBe(2);
    expect((await cli(['doctor', '--bogus'])).code).toBe(2);
  });
});
