import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../clock/clock';
import { silentLogger } from '../log/logger';
import { startRagDatabase, type RagDatabase } from './rag-database';
import { useTestDatabase } from './testing/test-database';
import { startTestServer } from './testing/test-server';
import { removeDataDir } from './testing/remove-data-dir';

const db = useTestDatabase('ragdb');
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bulkhead-ragdb-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) removeDataDir(dir);
});

async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(systemClock, 20);
  }
}

function start(mode: Parameters<typeof startRagDatabase>[0]['mode'], extra: Partial<Parameters<typeof startRagDatabase>[0]> = {}): RagDatabase {
  return startRagDatabase({ dataDir: tempDir(), mode, clock: systemClock, log: silentLogger, env: {}, cwd: tempDir(), serverSampleIntervalMs: 100, retryDelayMs: 100, ...extra });
}

describe('RAG database lifecycle', () => {
  it('comes up on a configured URL: pool warmed, schema migrated, corpus loaded, server view matching the pool', async () => {
    const database = start({ url: db.url }, { poolOverrides: { min: 2, max: 5, applicationName: 'bh-ragdb-a' } });
    expect(database.state).toBe('starting');
    try {
      const ready = await database.whenReady();
      expect(database.snapshot()).toMatchObject({ state: 'ready', embedded: null, counts: { total: 2, idle: 2, min: 2, max: 5 } });
      const readyAt = systemClock.now();
      await until('a server sample taken after start-up', () => database.snapshot().server?.ok === true && (database.snapshot().server?.at ?? 0) > readyAt);
      expect(database.snapshot().server).toMatchObject({ ours: 2, byState: { idle: 2 } });
      expect(await database.ragStatus()).toMatchObject({ ready: true, retrieval: 'full-text', pgvector: 'missing' });
      expect((await database.ragStatus()).documents).toBeGreaterThanOrEqual(300);
      const hits = await ready.search('statement_timeout for runaway queries', 3);
      expect(hits[0]?.topic).toBe('databases');
      expect(database.settingsInfo()).toMatchObject({ mode: 'configured', tls: { mode: 'disable' } });
    } finally {
      await database.stop();
    }
    expect(database.state).toBe('stopped');
  });

  it('is retrying, not crashed, when nothing listens, and still stops cleanly', async () => {
    const database = start({ url: 'postgres://nobody@127.0.0.1:1/none' });
    await until('retrying', () => database.state === 'retrying');
    expect(database.stateDetail).toMatch(/ECONNREFUSED/);
    let settled = false;
    void database.whenReady().catch(() => (settled = true));
    await database.stop();
    await until('waiters to be told', () => settled);
  });

  it('reports a bad URL with its code and fix', async () => {
    const database = start({ url: 'jdbc:postgresql://db:5432/rag' });
    await until('failed', () => database.state === 'failed');
    expect(database.stateDetail).toMatch(/JDBC URL.*Drop the "jdbc:" prefix/);
    await database.stop();
  });

  it('notices the server going away and refills the pool when it is back', async () => {
    const dir = tempDir();
    const first = await startTestServer({ baseDir: dir });
    const database = start({ url: first.url() }, { poolOverrides: { min: 3, max: 5, applicationName: 'bh-ragdb-b' } });
    try {
      await database.whenReady();
      await first.stop();
      await until('unavailable after the server stopped', () => database.state === 'unavailable');
      const second = await startTestServer({ baseDir: dir, port: first.port });
      try {
        await until('ready again', () => database.state === 'ready');
        await until('pool refilled', () => database.snapshot().counts.total === 3);
        expect((await database.ready!.pool.query('after', 'SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
      } finally {
        await database.stop();
        await second.dispose();
      }
    } finally {
      await database.stop();
    }
  });

  it('with nothing configured, runs the embedded PostgreSQL in the data dir and keeps its data across restarts', async () => {
    const dataDir = tempDir();
    const first = startRagDatabase({ dataDir, mode: 'auto', clock: systemClock, log: silentLogger, env: {}, cwd: tempDir(), poolOverrides: { min: 1 } });
    await first.whenReady();
    const before = await first.ragStatus();
    expect(first.snapshot().embedded).toMatchObject({ initialised: true, adopted: false });
    expect(first.settingsInfo().mode).toBe('embedded');
    await first.stop();

    const second = startRagDatabase({ dataDir, mode: 'auto', clock: systemClock, log: silentLogger, env: {}, cwd: tempDir(), poolOverrides: { min: 1 } });
    await second.whenReady();
    expect(second.snapshot().embedded).toMatchObject({ initialised: false });
    const after = await second.ragStatus();
    expect(after.documents).toBe(before.documents);
    expect(after.lastIngest).toMatchObject({ added: 0, unchanged: before.documents });
    await second.stop();
  });
});
