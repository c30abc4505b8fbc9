import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { sleep, systemClock } from '../../clock/clock';
import { BulkheadError, describeError } from '../../errors';
import type { Logger } from '../../log/logger';
import { findFreePort, isPortFree } from './free-port';
import { postgresOsUser, type RunAs } from './os-user';
import { loadPostgresBinaries } from './postgres-binaries';
import { isProcessAlive, readPostmasterPid } from './postmaster-pid';
import { processName, stopPostmaster } from './process-control';
import { resolveServerDir } from './server-dir';

export interface EmbeddedServerOptions {
  /** The folder this server lives in: data/ (PGDATA), server.log, credentials.json. */
  baseDir: string;
  log: Logger;
  /** The database to create and connect to; default `bulkhead`. */
  database?: string;
  /** A fixed port; default the port of the last run if free, else any free port. */
  port?: number;
  /** Server settings passed as `-c name=value` at every start (max_connections, ssl, ...). */
  serverSettings?: Record<string, string>;
  /** Lines appended to pg_hba.conf when the cluster is created (before the defaults, so they win). */
  hbaLines?: readonly string[];
  /** Reuse a server an earlier process left running in this data dir (default); false stops it. */
  adoptOrphan?: boolean;
  /** initdb without fsync: for tests, where a lost cluster costs nothing. */
  fastInit?: boolean;
  /** How long to wait for the server to accept connections. */
  startTimeoutMs?: number;
  /**
   * Stop the server when this process exits without stop() (default). The shared test server turns it
   * off: it is started by one test worker and must outlive it.
   */
  stopOnProcessExit?: boolean;
  signal?: AbortSignal;
}

export interface EmbeddedServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly pgdata: string;
  readonly logFile: string;
  readonly baseDir: string;
  readonly adopted: boolean;
  readonly initialised: boolean;
  readonly startMs: number;
  /** postgres://user:password@127.0.0.1:port/database (contains the password: never log it). */
  url(database?: string): string;
  /** Fast shutdown; safe to call twice. */
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
  lastPort?: number;
}

const SUPERUSER = 'bulkhead';
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

/**
 * Starts (or takes over) a real PostgreSQL in `baseDir`. First start: initdb with scram-sha-256 and a
 * random password kept 0600 beside the cluster. Every start: a server on 127.0.0.1 only, no Unix socket,
 * its log in server.log (a file, so a server that outlives a crashed Bulkhead keeps logging). A server
 * left running by a crash is found through postmaster.pid and reused (or stopped, with adoptOrphan false).
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const started = performance.now();
  const log = options.log;
  const database = options.database ?? 'bulkhead';
  const runAs = await postgresOsUser();
  const baseDir = resolveServerDir(options.baseDir, runAs, log);
  const pgdata = join(baseDir, 'data');
  const logFile = join(baseDir, 'server.log');
  // Only we read the credentials and the log; postgres (when running as root) only walks through to data/.
  mkdirSync(baseDir, { recursive: true, mode: runAs ? 0o711 : 0o700 });
  const credentials = loadOrCreateCredentials(join(baseDir, 'credentials.json'), existsSync(join(pgdata, 'PG_VERSION')));

  let initialised = false;
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    await initialiseCluster({ pgdata, baseDir, runAs, credentials, options, log });
    initialised = true;
  }
  options.signal?.throwIfAborted();

  const orphan = await findOrphan(pgdata, credentials, options.adoptOrphan ?? true, log);
  if (orphan) {
    log.info(`reusing the embedded PostgreSQL left running by an earlier Bulkhead (pid ${orphan.pid}, port ${orphan.port})`);
    await ensureDatabase(orphan.port, credentials, database);
    return makeServer({ port: orphan.port, pid: orphan.pid, child: null, adopted: true });
  }

  const port = options.port ?? (await choosePort(credentials.lastPort));
  rotateLog(logFile);
  const binaries = await loadPostgresBinaries(runAs, log);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    ...options.serverSettings,
  };
  const args = ['-D', pgdata, '-p', String(port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const logFd = openSync(logFile, 'a', 0o600); // the server writes through this descriptor, not by path
  let child: ChildProcess;
  try {
    // Own process group: a Ctrl+C in the terminal reaches Bulkhead, which closes the pool first and then
    // stops the server, instead of the server dying under open connections.
    child = spawn(binaries.postgres, args, {
      stdio: ['ignore', logFd, logFd],
      detached: true,
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
  } finally {
    closeSync(logFd);
  }
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (error) => log.error('embedded PostgreSQL could not be spawned', error));
  try {
    await waitUntilReady({ pgdata, child, exited, port, credentials, logFile, timeoutMs: options.startTimeoutMs ?? 30_000, signal: options.signal });
    await ensureDatabase(port, credentials, database);
  } catch (error) {
    await stopPostmaster(child.pid ?? 0, { fastMs: 5000, exited });
    throw error;
  }
  saveCredentials(join(baseDir, 'credentials.json'), { ...credentials, lastPort: port });
  return makeServer({ port, pid: child.pid ?? 0, child, adopted: false, exited });

  function makeServer(state: { port: number; pid: number; child: ChildProcess | null; adopted: boolean; exited?: Promise<unknown> }): EmbeddedServer {
    const startMs = performance.now() - started;
    // Safety net: if the process exits without stop() (an uncaught error), the server still goes down.
    const onExit = (): void => {
      try {
        process.kill(state.pid, 'SIGINT');
      } catch {
        // already gone
      }
    };
    if (options.stopOnProcessExit !== false) process.once('exit', onExit);
    let stopping: Promise<void> | null = null;
    return {
      host: '127.0.0.1',
      port: state.port,
      pid: state.pid,
      user: credentials.user,
      password: credentials.password,
      database,
      pgdata,
      logFile,
      baseDir,
      adopted: state.adopted,
      initialised,
      startMs,
      url: (db = database) => `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${state.port}/${encodeURIComponent(db)}`,
      stop: () =>
        (stopping ??= (async () => {
          process.removeListener('exit', onExit);
          const how = await stopPostmaster(state.pid, state.exited ? { exited: state.exited } : {});
          if (how !== 'fast' && how !== 'gone') log.warn(`embedded PostgreSQL (pid ${state.pid}) needed a ${how} shutdown`);
        })()),
    };
  }
}

/** Connection details of an embedded server already running in `baseDir` (the app's), or null. */
export function readRunningEmbeddedServer(baseDir: string): { port: number; pid: number; user: string; password: string } | null {
  const pid = readPostmasterPid(join(baseDir, 'data'));
  if (!pid || pid.status !== 'ready' || !isProcessAlive(pid.pid)) return null;
  try {
    const credentials = JSON.parse(readFileSync(join(baseDir, 'credentials.json'), 'utf8')) as Credentials;
    return { port: pid.port, pid: pid.pid, user: credentials.user, password: credentials.password };
  } catch {
    return null;
  }
}

async function initialiseCluster(input: { pgdata: string; baseDir: string; runAs: RunAs | null; credentials: Credentials; options: EmbeddedServerOptions; log: Logger }): Promise<void> {
  const { pgdata, baseDir, runAs, credentials, options, log } = input;
  // A half-made cluster (initdb interrupted) has no PG_VERSION; it holds nothing worth keeping.
  if (existsSync(pgdata)) rmSync(pgdata, { recursive: true, force: true });
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (runAs) {
    chownSync(pgdata, runAs.uid, runAs.gid);
  }
  const pwfile = join(baseDir, `.pwfile-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  if (runAs) chownSync(pwfile, runAs.uid, runAs.gid);
  const binaries = await loadPostgresBinaries(runAs, log);
  const args = ['-D', pgdata, '-U', credentials.user, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale', '--no-instructions', ...(options.fastInit ? ['--no-sync'] : [])];
  const t0 = performance.now();
  try {
    const { code, output } = await runToEnd(binaries.initdb, args, runAs);
    if (code !== 0) {
      throw new BulkheadError('EMBEDDED_INITDB_FAILED', `Creating the embedded PostgreSQL cluster failed (initdb exit ${code}).`, {
        remedy: `Check that ${baseDir} is writable and has free space. initdb said: ${output.trim().split('\n').slice(-3).join(' | ')}`,
      });
    }
  } finally {
    try {
      unlinkSync(pwfile);
    } catch {
      // already gone
    }
  }
  if (options.hbaLines && options.hbaLines.length > 0) {
    const hbaPath = join(pgdata, 'pg_hba.conf');
    const defaults = readFileSync(hbaPath, 'utf8');
    writeFileSync(hbaPath, `${options.hbaLines.join('\n')}\n${defaults}`);
  }
  log.info(`created the embedded PostgreSQL cluster in ${pgdata} (initdb ${Math.round(performance.now() - t0)} ms)`);
}

function runToEnd(command: string, args: string[], runAs: RunAs | null): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' }, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function findOrphan(pgdata: string, credentials: Credentials, adopt: boolean, log: Logger): Promise<{ pid: number; port: number } | null> {
  const lock = readPostmasterPid(pgdata);
  if (!lock) return null;
  if (!isProcessAlive(lock.pid)) return null; // stale file: PostgreSQL removes it itself at start
  const name = processName(lock.pid);
  if (name !== null && !name.startsWith('postgres')) {
    // The pid was reused by something else: the lock is stale but PostgreSQL would refuse to start.
    log.warn(`postmaster.pid names pid ${lock.pid}, which is now "${name}", not PostgreSQL; removing the stale lock file`);
    unlinkSync(join(pgdata, 'postmaster.pid'));
    return null;
  }
  if (adopt && lock.status === 'ready' && lock.port > 0 && (await canConnect(lock.port, credentials, 'postgres', 3000))) {
    return { pid: lock.pid, port: lock.port };
  }
  log.warn(`stopping the embedded PostgreSQL left running by an earlier Bulkhead (pid ${lock.pid}, status ${lock.status || 'unknown'})`);
  await stopPostmaster(lock.pid);
  return null;
}

async function waitUntilReady(input: {
  pgdata: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  port: number;
  credentials: Credentials;
  logFile: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}): Promise<void> {
  let exitCode: number | null | undefined;
  void input.exited.then((code) => (exitCode = code));
  const deadline = performance.now() + input.timeoutMs;
  while (performance.now() < deadline) {
    input.signal?.throwIfAborted();
    if (exitCode !== undefined) {
      throw new BulkheadError('EMBEDDED_START_FAILED', `The embedded PostgreSQL exited at start (code ${exitCode}).`, {
        remedy: `Its log says: ${tailOf(input.logFile)}`,
      });
    }
    const lock = readPostmasterPid(input.pgdata);
    if (lock && lock.pid === input.child.pid && lock.status === 'ready' && (await canConnect(input.port, input.credentials, 'postgres', 2000))) return;
    await sleep(systemClock, 25);
  }
  throw new BulkheadError('EMBEDDED_START_TIMEOUT', `The embedded PostgreSQL did not accept connections within ${input.timeoutMs} ms.`, {
    remedy: `Its log says: ${tailOf(input.logFile)}`,
  });
}

async function canConnect(port: number, credentials: Credentials, database: string, timeoutMs: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database, connectionTimeoutMillis: timeoutMs, ssl: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, credentials: Credentials, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database: 'postgres', connectionTimeoutMillis: 5000, ssl: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } catch (error) {
    // Two starters racing to create it: the loser sees 42P04 (duplicate_database) and is fine.
    if ((error as { code?: string }).code !== '42P04') {
      throw new BulkheadError('EMBEDDED_CREATE_DB_FAILED', `Could not create the database "${database}" in the embedded PostgreSQL: ${describeError(error)}`, { cause: error });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function choosePort(lastPort: number | undefined): Promise<number> {
  if (lastPort && (await isPortFree(lastPort))) return lastPort;
  return findFreePort();
}

function loadOrCreateCredentials(path: string, clusterExists: boolean): Credentials {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.user === 'string' && typeof parsed.password === 'string') return parsed as Credentials;
  } catch {
    // first start, or an unreadable file
  }
  if (clusterExists) {
    throw new BulkheadError('EMBEDDED_CREDENTIALS_LOST', `The embedded PostgreSQL cluster exists but its password file ${path} is missing or unreadable.`, {
      remedy: `Restore ${path}, or delete the folder next to it (data/) to let Bulkhead create a new, empty cluster.`,
    });
  }
  const created: Credentials = { user: SUPERUSER, password: randomBytes(18).toString('base64url') };
  saveCredentials(path, created);
  return created;
}

function saveCredentials(path: string, credentials: Credentials): void {
  writeFileSync(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
}

function rotateLog(logFile: string): void {
  try {
    if (statSync(logFile).size > LOG_ROTATE_BYTES) renameSync(logFile, `${logFile}.1`);
  } catch {
    // no log yet
  }
}

function tailOf(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').trim().split('\n');
    return lines.slice(-4).join(' | ') || '(empty)';
  } catch {
    return '(no log)';
  }
}
