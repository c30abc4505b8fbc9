import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger';
import { startEmbeddedServer } from './embedded-server';
import { isProcessAlive, readPostmasterPid } from './postmaster-pid';
import { stopPostmaster } from './process-control';

const root = mkdtempSync(join(tmpdir(), 'bulkhead-embedded-'));
chmodSync(root, 0o755);
afterAll(async () => {
  for (const dir of ['a', 'b']) {
    const lock = readPostmasterPid(join(root, dir, 'data'));
    if (lock && isProcessAlive(lock.pid)) await stopPostmaster(lock.pid);
  }
  rmSync(root, { recursive: true, force: true });
});

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return Object.values(last?.rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('creates a scram-protected cluster once, keeps data across restarts, and stops', async () => {
    const baseDir = join(root, 'a');
    const first = await startEmbeddedServer({ baseDir, log: silentLogger, fastInit: true });
    expect(first).toMatchObject({ initialised: true, adopted: false, host: '127.0.0.1', database: 'bulkhead' });
    await scalar(first.url(), 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42); SELECT 1');
    // A wrong password is refused: the cluster is not trust-auth.
    await expect(scalar(first.url().replace(encodeURIComponent(first.password), 'wrong'), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' });
    await first.stop();
    expect(isProcessAlive(first.pid)).toBe(false);
    expect(readPostmasterPid(first.pgdata)).toBeNull();

    const second = await startEmbeddedServer({ baseDir, log: silentLogger });
    expect(second.initialised).toBe(false);
    expect(second.port).toBe(first.port); // the last port is reused when free
    expect(await scalar(second.url(), 'SELECT n FROM kept')).toBe(42);
    await second.stop();
  });

  it('finds the server a crashed process left running, and reuses or stops it', async () => {
    const baseDir = join(root, 'b');
    const script = join(root, 'crash.mts');
    const moduleUrl = new URL('./embedded-server.ts', import.meta.url).href;
    writeFileSync(
      script,
      `import { startEmbeddedServer } from ${JSON.stringify(moduleUrl)};
       const server = await startEmbeddedServer({ baseDir: ${JSON.stringify(baseDir)}, log: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } }, fastInit: true });
       console.log(JSON.stringify({ pid: server.pid, port: server.port }));
       process.kill(process.pid, 'SIGKILL');`,
    );
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(text) : reject(new Error(`child exited without crashing: ${text}`))));
    });
    const orphan = JSON.parse(output.trim()) as { pid: number; port: number };
    expect(isProcessAlive(orphan.pid)).toBe(true);

    const adopted = await startEmbeddedServer({ baseDir, log: silentLogger });
    expect(adopted).toMatchObject({ adopted: true, pid: orphan.pid, port: orphan.port });
    expect(await scalar(adopted.url(), 'SELECT 1')).toBe(1);
    await adopted.stop();
    expect(isProcessAlive(orphan.pid)).toBe(false);

    // The same again, but this time the orphan is stopped and a fresh server started in its place.
    const started = await startEmbeddedServer({ baseDir, log: silentLogger });
    const replacement = await startEmbeddedServer({ baseDir, log: silentLogger, adoptOrphan: false });
    expect(replacement.adopted).toBe(false);
    expect(replacement.pid).not.toBe(started.pid);
    expect(isProcessAlive(started.pid)).toBe(false);
    await replacement.stop();
  });

  it('refuses to guess when the cluster exists but its password file is gone', async () => {
    const baseDir = join(root, 'a');
    unlinkSync(join(baseDir, 'credentials.json'));
    await expect(startEmbeddedServer({ baseDir, log: silentLogger })).rejects.toMatchObject({ code: 'EMBEDDED_CREDENTIALS_LOST' });
  });
});
