import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../stack/db/embedded/free-port';
import { runCli } from '../run-cli';

const KEY = 'sk-proj-CLIPROVIDERKEY-00112233445566';
const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-doctor-provider-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: { BULKHEAD_DATA_DIR: dataDir, ...env }, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('bulkhead doctor --provider', () => {
  it('--provider simulator --json: {ok, target, steps} and exit 0', async () => {
    const { code, stdout } = await cli(['doctor', '--provider', 'simulator', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { ok: boolean; target: string; steps: { id: string; status: string }[] };
    expect(Object.keys(report).sort()).toEqual(['ok', 'steps', 'target']);
    expect(report.ok).toBe(true);
    expect(report.target).toMatch(/^openai http:\/\/127\.0\.0\.1:\d+\/v1\/models$/);
    expect(report.steps.map((s) => s.id)).toEqual(['key', 'url', 'proxy', 'dns', 'tcp', 'tls', 'http', 'auth', 'model', 'limits', 'latency']);
  });

  it('exits 1 naming the step and the fix, and prints the key nowhere (stdout or stderr)', async () => {
    const port = await findFreePort();
    const { code, stdout, stderr } = await cli(['doctor', '--provider', 'openai', '--provider-url', `http://127.0.0.1:${port}/v1`], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expect(code).toBe(1);
    expect(stdout).toMatch(/✗ TCP connection\s+nothing accepts connections on 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(stdout).toMatch(/fix: Check the port in the base URL/);
    expect(stdout).toMatch(/result: failed at TCP connection \(ECONNREFUSED\)/);
    expect(`${stdout}${stderr}`).not.toContain(KEY);
    expect(stdout).toContain('sk-pr****');
  });

  it('usage errors exit 2: an unknown provider (with a suggestion), an empty URL, --model without --provider', async () => {
    const unknown = await cli(['doctor', '--provider', 'opnai']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean openai?');
    expect((await cli(['doctor', '--provider', 'openai', '--provider-url', ''])).code).toBe(2);
    const lone = await cli(['doctor', '--model', 'gpt-4o']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('add --provider');
    expect((await cli(['doctor', '--provider', 'openai', '--url', 'postgres://x@localhost/db'])).code).toBe(2);
  });
});
