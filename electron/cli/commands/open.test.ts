import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAccessPath, writeHostAccess } from '../../host/host-access-file';
import { codeOf, startTestHost, tradeCode, type TestHost } from '../../host/testing/host-fixture';
import { makeTempDir } from '../../stack/testing/temp-dir';
import { runCli } from '../run-cli';

let host: TestHost;
let unpublish: () => void;
const empty = makeTempDir();

beforeAll(async () => {
  host = await startTestHost();
  unpublish = writeHostAccess(host.dir, { version: 1, pid: process.pid, port: host.server.port, origin: host.base, secret: host.server.secret, startedAt: Date.now() });
});
afterAll(async () => {
  unpublish?.();
  await host?.stop();
  empty.remove();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: {}, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('bulkhead open', () => {
  it('publishes the host for local clients in a 0600 file', () => {
    expect(statSync(hostAccessPath(host.dir)).mode & 0o777).toBe(0o600);
  });

  it('prints a fresh single-use link from the running host, and the command for the next one', async () => {
    const { code, stdout, stderr } = await cli(['open', '--data-dir', host.dir]);
    expect(code).toBe(0);
    const url = /Bulkhead panel: (\S+)/.exec(stdout)?.[1] ?? '';
    expect(url.startsWith(`${host.base}/#code=`)).toBe(true);
    expect(stderr).toContain(`npx bulkhead open --data-dir ${host.dir}`);
    expect((await tradeCode(host.base, codeOf(url))).status).toBe(200);
    expect((await tradeCode(host.base, codeOf(url))).status).toBe(410);
  });

  it('links to a page with --page, and prints JSON with --json', async () => {
    const { code, stdout } = await cli(['open', '--data-dir', host.dir, '--page', 'stress', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { url: string; expires_at: string };
    expect(new URL(printed.url).hash).toMatch(/^#\/stress\?code=/);
    expect(Date.parse(printed.expires_at)).toBeGreaterThan(Date.now());
    expect((await cli(['open', '--data-dir', host.dir, '--page', '../etc'])).code).toBe(2);
  });

  it('exits 1 and says how to start one when no host runs on the data dir', async () => {
    const { code, stderr } = await cli(['open', '--data-dir', empty.path]);
    expect(code).toBe(1);
    expect(stderr).toContain(`No Bulkhead browser host is running on the data dir ${empty.path}`);
    expect(stderr).toContain('npx bulkhead serve');
  });

  it('exits 1 when the published host is gone (a crash left host.json behind)', async () => {
    const stale = makeTempDir();
    try {
      writeHostAccess(stale.path, { version: 1, pid: 999_999, port: 9, origin: 'http://127.0.0.1:9', secret: 'x'.repeat(43), startedAt: 0 });
      const { code, stderr } = await cli(['open', '--data-dir', stale.path]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/does not answer.*fix: It has probably stopped/s);
    } finally {
      stale.remove();
    }
  });

  it('refuses a secret that the host at that port does not accept', async () => {
    const other = makeTempDir();
    try {
      writeHostAccess(other.path, { version: 1, pid: process.pid, port: host.server.port, origin: host.base, secret: 'y'.repeat(43), startedAt: 0 });
      const { code, stderr } = await cli(['open', '--data-dir', join(other.path)]);
      expect(code).toBe(1);
      expect(stderr).toContain("does not accept this data dir's host secret");
      expect(stderr).not.toContain('y'.repeat(43));
    } finally {
      other.remove();
    }
  });
});
