import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { findFreePort } from '../db/embedded/free-port';
import { makeTempDir } from './temp-dir';

/** Debian's redis-server; tests that need one start their own on a free loopback port. */
export const REDIS_SERVER_BINARY = process.env.BULKHEAD_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisTestServer {
  readonly port: number;
  readonly url: string;
  /** What the server printed, for a failing test's message. */
  output(): string;
  stop(): Promise<void>;
}

/** Why redis-server cannot be used here, or null when it can. */
export function redisServerUnavailable(): string | null {
  return existsSync(REDIS_SERVER_BINARY) ? null : `no redis-server at ${REDIS_SERVER_BINARY} (Debian: apt-get install redis-server; or set BULKHEAD_REDIS_SERVER)`;
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 with `configLines` appended to a config that keeps it
 * in memory only (no RDB, no AOF) in its own temp dir. Resolves once it answers PING (NOAUTH counts as
 * an answer); `stop()` kills it and removes the dir.
 */
export async function startRedisTestServer(configLines: readonly string[] = []): Promise<RedisTestServer> {
  const dir = makeTempDir('bulkhead-redis-');
  const port = await findFreePort();
  const config = join(dir.path, 'redis.conf');
  writeFileSync(config, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir.path}`, 'save ""', 'appendonly no', 'daemonize no', 'protected-mode yes', 'loglevel warning', ...configLines, ''].join('\n'));
  const child: ChildProcess = spawn(REDIS_SERVER_BINARY, [config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    dir.remove();
  };
  try {
    await waitUntilAnswering(port, () => child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`redis-server did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return { port, url: `redis://127.0.0.1:${port}`, output: () => output, stop };
}

async function waitUntilAnswering(port: number, exited: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (exited()) throw new Error('it exited');
    if (await answersPing(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no answer within 10 s');
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(chunk.toString())));
  });
}
