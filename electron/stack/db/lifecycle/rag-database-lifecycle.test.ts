import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../../clock/clock';
import { ManualClock } from '../../clock/manual-clock';
import type { Logger } from '../../log/logger';
import { silentLogger } from '../../log/logger';
import { makeTempDir } from '../../testing/temp-dir';
import { readRunningEmbeddedServer } from '../embedded/embedded-server';
import { isProcessAlive } from '../embedded/postmaster-pid';
import { startRagDatabase, type RagDatabase, type RagDatabaseOptions } from '../rag-database';
import { useTestDatabase } from '../testing/test-database';
import { startTestServer, type TestServer } from '../testing/test-server';
import { chmodSync } from 'node:fs';

/**
 * The lifecycle's transitions against real PostgreSQL: stop at every step of a start, a failed start
 * that retries, a server lost while ready, stop while retrying or unavailable. After each stop nothing
 * is left: no session on the server, no timer on the clock, no embedded server running.
 */
const db = useTestDatabase('ragdb_lifecycle');
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = makeTempDir('bulkhead-lifecycle-');
  chmodSync(dir.path, 0o755);
  cleanups.push(() => dir.remove());
  return dir.path;
}

/** A logger that hands every line to `onLine` (a test uses it to act at an exact step). */
function tapLogger(onLine: (line: string) => void): Logger {
  const logger: Logger = {
    debug: (m) => onLine(m),
    info: (m) => onLine(m),
    warn: (m) => onLine(m),
    error: (m) => onLine(m),
    child: () => logger,
  };
  return logger;
}

function start(options: Partial<RagDatabaseOptions> & Pick<RagDatabaseOptions, 'mode'>): RagDatabase {
  const database = startRagDatabase({ dataDir: tempDir(), clock: systemClock, log: silentLogger, env: {}, cwd: tempDir(), corpusDir: null, serverSampleIntervalMs: 100, retryDelayMs: 5_000, ...options });
  cleanups.push(() => database.stop());
  return database;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(systemClock, 20);
  }
}

/** Our sessions on a server, the sampler's `<app>-monitor` included. */
async function sessions(url: string, applicationName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url, application_name: 'bulkhead-test-admin' });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    const row = (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 || '%'", [applicationName])).rows[0];
    return row?.n ?? -1;
  } finally {
    await admin.end();
  }
}

const appName = (): string => `bh-lc-${randomBytes(3).toString('hex')}`;

async function stoppedServer(): Promise<{ dir: string; server: TestServer }> {
  const dir = tempDir();
  const server = await startTestServer({ baseDir: dir });
  await server.stop();
  return { dir, server };
}

/** A TCP listener that accepts and hangs up at once, counting connections: a proxy with no backend. */
async function hangUpListener(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as { port: number }).port, connections: () => connections };
}

describe('RAG database lifecycle transitions', () => {
  // The last one comes after the final step: the attempt has everything up when it learns of the stop.
  it.each(['starting — connecting to', 'starting — migrating the RAG schema', 'starting — loading the sample corpus', 'RAG corpus:'])('stop while starting (at "%s") ends stopped with no session left on the server', async (step) => {
    const applicationName = appName();
    let database: RagDatabase | null = null;
    let stopping: Promise<void> | null = null;
    const lines: string[] = [];
    database = start({
      mode: { url: db.url },
      corpusDir: undefined, // the real corpus, so there is a loading step to stop in
      poolOverrides: { min: 3, applicationName },
      log: tapLogger((line) => {
        lines.push(line);
        if (!stopping && line.includes(step)) stopping = database!.stop();
      }),
    });
    const waiting = database.whenReady().then(
      () => 'ready',
      (error: { code?: string }) => error.code,
    );
    await until(`the "${step}" step`, () => stopping !== null);
    await stopping;
    expect(database.state).toBe('stopped');
    expect(await waiting).toBe('DB_STOPPED');
    expect(lines.some((line) => line.startsWith('RAG database: ready'))).toBe(false);
    expect(database.snapshot().counts.total).toBe(0);
    // A backend leaves pg_stat_activity a moment after its client hung up.
    await until('no session of ours on the server', async () => (await sessions(db.url, applicationName)) === 0);
  });

  it('stop while starting the embedded server, once it runs, leaves no server running', async () => {
    const dataDir = tempDir();
    let stopping: Promise<void> | null = null;
    let database: RagDatabase | null = null;
    let pid: number | undefined;
    database = start({
      mode: 'auto',
      dataDir,
      log: tapLogger((line) => {
        if (stopping || !line.includes('starting — connecting to')) return;
        pid = database!.snapshot().embedded?.pid;
        stopping = database!.stop();
      }),
    });
    await until('the connecting step', () => stopping !== null);
    expect(pid).toBeGreaterThan(0);
    expect(readRunningEmbeddedServer(join(dataDir, 'postgres'))?.pid).toBe(pid);
    await stopping;
    expect(database.state).toBe('stopped');
    expect(readRunningEmbeddedServer(join(dataDir, 'postgres'))).toBeNull();
    expect(isProcessAlive(pid!)).toBe(false);
  });

  it('a failed start is retried on the clock, holds only its timer meanwhile, and becomes ready when the server is up', async () => {
    const clock = new ManualClock();
    const { dir, server } = await stoppedServer();
    const applicationName = appName();
    const database = start({ mode: { url: server.url() }, clock, retryDelayMs: 5_000, poolOverrides: { min: 2, applicationName } });
    await until('retrying', () => database.state === 'retrying');
    expect(database.stateDetail).toMatch(/ECONNREFUSED.*retrying every 5 s/);
    expect(clock.pendingTimers).toBe(1); // the retry: no pool, no sampler, no refill while retrying
    expect(database.snapshot()).toMatchObject({ counts: { total: 0 }, refill: { state: 'stopped' }, server: null });

    clock.advance(4_999);
    expect(database.state).toBe('retrying');
    clock.advance(1);
    expect(database.state).toBe('starting');
    expect(database.stateDetail).toMatch(/^attempt 2: .*last attempt: .*ECONNREFUSED/);
    await until('retrying again', () => database.state === 'retrying');

    const again = await startTestServer({ baseDir: dir, port: server.port });
    cleanups.push(() => again.stop());
    clock.advance(5_000);
    const ready = await database.whenReady();
    expect(database.state).toBe('ready');
    expect(database.snapshot().counts).toMatchObject({ total: 2, idle: 2 });
    expect((await ready.pool.query('probe', 'SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
    await database.stop();
    expect(clock.pendingTimers).toBe(0);
    await until('no session of ours left', async () => (await sessions(again.url(), applicationName)) === 0);
  });

  it('stop while retrying clears the retry timer: no attempt after it', async () => {
    const clock = new ManualClock();
    const listener = await hangUpListener();
    const database = start({ mode: { url: `postgres://nobody@127.0.0.1:${listener.port}/none?sslmode=disable` }, clock, poolOverrides: { min: 2 } });
    await until('retrying', () => database.state === 'retrying');
    const attempts = listener.connections();
    expect(attempts).toBeGreaterThan(0);
    await database.stop();
    expect(database.state).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    await expect(database.whenReady()).rejects.toMatchObject({ code: 'DB_STOPPED' });
    expect(database.state).toBe('stopped');
    expect(listener.connections()).toBe(attempts);
  });

  it('a server lost while ready makes it unavailable; back, it is ready and the pool is at min again', async () => {
    const dir = tempDir();
    const first = await startTestServer({ baseDir: dir });
    const applicationName = appName();
    const database = start({ mode: { url: first.url() }, poolOverrides: { min: 3, max: 5, applicationName }, refillBackoff: { initialMs: 50, maxMs: 500 } });
    await database.whenReady();
    await first.stop();
    await until('unavailable', () => database.state === 'unavailable');
    expect(database.stateDetail).toMatch(/stopped answering/);
    await until('the refill to fail and back off', () => database.snapshot().refill.failures > 0);
    expect(database.snapshot().refill).toMatchObject({ missing: 3 });
    expect(database.ready).toBeNull();

    const second = await startTestServer({ baseDir: dir, port: first.port });
    cleanups.push(() => second.stop());
    await until('ready again', () => database.state === 'ready');
    await until('the pool at min', () => database.snapshot().refill.state === 'at-min' && database.snapshot().counts.idle === 3);
    expect(database.snapshot().refill).toMatchObject({ failures: 0, lastError: null, belowMinSince: null });
    expect(await sessions(second.url(), `${applicationName}-monitor`)).toBe(1);
  });

  it('stop while unavailable clears the refill back-off and the sampler: no timer left', async () => {
    const clock = new ManualClock();
    const dir = tempDir();
    const server = await startTestServer({ baseDir: dir });
    cleanups.push(() => server.stop());
    const database = start({ mode: { url: server.url() }, clock, serverSampleIntervalMs: 1_000, poolOverrides: { min: 2 }, refillBackoff: { initialMs: 1_000, maxMs: 1_000 } });
    await database.whenReady();
    await server.stop();
    // Two failed samples in a row make it unavailable; each comes one interval after the last.
    for (let i = 0; i < 20 && database.state !== 'unavailable'; i++) {
      await clock.advanceAsync(1_000);
      await sleep(systemClock, 20);
    }
    expect(database.state).toBe('unavailable');
    await until('the refill to back off', () => database.snapshot().refill.state === 'backing-off');
    expect(clock.pendingTimers).toBeGreaterThanOrEqual(2); // the sampler's next sample and the refill's retry
    await database.stop();
    expect(database.state).toBe('stopped');
    expect(clock.pendingTimers).toBe(0);
  });

  it('bad configuration fails at once: no retry timer, whenReady rejects with the reason and its fix', async () => {
    const clock = new ManualClock();
    const database = start({ mode: { url: 'jdbc:postgresql://db:5432/rag' }, clock });
    await until('failed', () => database.state === 'failed');
    expect(clock.pendingTimers).toBe(0);
    const error = await database.whenReady().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ message: expect.stringMatching(/JDBC/), remedy: expect.stringMatching(/Drop the "jdbc:" prefix/) });
    expect(database.stateDetail).toMatch(/JDBC URL.*Drop the "jdbc:" prefix/);
    await database.stop();
    expect(database.state).toBe('stopped');
  });

  it('whenReady honours its signal and forgets the waiter', async () => {
    const database = start({ mode: { url: 'postgres://nobody@127.0.0.1:1/none' } });
    const controller = new AbortController();
    const waiting = database.whenReady(controller.signal);
    controller.abort(new Error('gave up waiting'));
    await expect(waiting).rejects.toThrow('gave up waiting');
    await expect(database.whenReady(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    await database.stop();
  });

  it('disabled holds nothing: waiters are told at once, stop ends it', async () => {
    const clock = new ManualClock();
    const database = start({ mode: 'none', clock });
    expect(database.state).toBe('disabled');
    await expect(database.whenReady()).rejects.toMatchObject({ code: 'DB_DISABLED' });
    expect(database.snapshot()).toMatchObject({ state: 'disabled', counts: { total: 0 }, embedded: null });
    expect(clock.pendingTimers).toBe(0);
    await database.stop();
    expect(database.state).toBe('stopped');
  });

  it('stop is idempotent: one teardown, the same promise', async () => {
    const database = start({ mode: { url: db.url }, poolOverrides: { min: 1, applicationName: appName() } });
    await database.whenReady();
    const first = database.stop();
    expect(database.state).toBe('stopping');
    expect(database.stop()).toBe(first);
    await first;
    await database.stop();
    expect(database.state).toBe('stopped');
  });
});
