import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { ConnectionSettings } from '../db/config/database-config';
import { findFreePort } from '../db/embedded/free-port';
import { makeTempDir } from './temp-dir';

/** Debian's pgbouncer (1.18 on this machine kind). */
export const PGBOUNCER_BINARY = process.env.BULKHEAD_PGBOUNCER ?? '/usr/sbin/pgbouncer';
/** The admin console login the test bouncer accepts (listed in admin_users, no password under trust). */
export const PGBOUNCER_ADMIN_USER = 'bulkhead_admin';

export interface PgbouncerTestServer {
  readonly port: number;
  /** postgres://user:password@127.0.0.1:PORT/database — the upstream database, through the bouncer. */
  readonly url: string;
  readonly adminUrl: string;
  output(): string;
  stop(): Promise<void>;
}

export function pgbouncerUnavailable(): string | null {
  return existsSync(PGBOUNCER_BINARY) ? null : `no pgbouncer at ${PGBOUNCER_BINARY} (Debian: apt-get install pgbouncer; or set BULKHEAD_PGBOUNCER)`;
}

/**
 * Starts a throwaway PgBouncer on 127.0.0.1 in front of `upstream`, in `poolMode`, with the upstream
 * user in stats_users and PGBOUNCER_ADMIN_USER in admin_users. Clients log in with trust (loopback
 * only); the bouncer logs in upstream with the upstream password, which sits in its own temp dir.
 * PgBouncer refuses to run as root, so as root it drops to `nobody` with its `-u` option.
 */
export async function startPgbouncerTestServer(upstream: ConnectionSettings, options: { poolMode?: 'session' | 'transaction' | 'statement'; poolSize?: number } = {}): Promise<PgbouncerTestServer> {
  const dir = makeTempDir('bulkhead-pgbouncer-');
  chmodSync(dir.path, 0o755);
  const port = await findFreePort();
  const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;
  const upstreamConn = [`host=${upstream.host}`, `port=${upstream.port}`, `dbname=${upstream.database}`, `user=${upstream.user}`, ...(upstream.password ? [`password=${quote(upstream.password)}`] : [])].join(' ');
  const authFile = join(dir.path, 'users.txt');
  writeFileSync(authFile, `"${upstream.user}" ""\n"${PGBOUNCER_ADMIN_USER}" ""\n`, { mode: 0o644 });
  const ini = join(dir.path, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${upstream.database} = ${upstreamConn}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${authFile}`,
      `pool_mode = ${options.poolMode ?? 'transaction'}`,
      `default_pool_size = ${options.poolSize ?? 10}`,
      'max_client_conn = 400',
      `admin_users = ${PGBOUNCER_ADMIN_USER}`,
      `stats_users = ${upstream.user}`,
      'log_connections = 0',
      'log_disconnections = 0',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(PGBOUNCER_BINARY, [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(killer);
    dir.remove();
  };
  try {
    await waitUntilListening(port, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`pgbouncer did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  const password = upstream.password ? `:${encodeURIComponent(upstream.password)}` : '';
  return {
    port,
    url: `postgres://${encodeURIComponent(upstream.user)}${password}@127.0.0.1:${port}/${encodeURIComponent(upstream.database)}`,
    adminUrl: `postgres://${PGBOUNCER_ADMIN_USER}@127.0.0.1:${port}/pgbouncer`,
    output: () => output,
    stop,
  };
}

async function waitUntilListening(port: number, exited: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (exited()) throw new Error('it exited');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not listening within 10 s');
}
