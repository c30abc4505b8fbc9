import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredDoctorReport } from '../../../shared/contract/doctor';
import { systemClock } from '../clock/clock';
import { silentLogger } from '../log/logger';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';
import { runDoctor } from './run-doctor';

/**
 * The same class of hole as a provider key sent to any URL: a URL typed on the Doctor page (or sent by
 * anyone holding a session) must not receive the configured database's password from PGPASSWORD or
 * ~/.pgpass, and a certificate path in it must not hang the host (a FIFO) or be read without a cap.
 */

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A listener that speaks just enough of PostgreSQL's protocol to ask for a cleartext password (as a
 * hostile server would) and records what it is sent. It answers an SSLRequest with 'N'.
 */
async function passwordCatcher(): Promise<{ port: number; passwords: string[] }> {
  const passwords: string[] = [];
  const server: Server = createServer((socket: Socket) => {
    let buffer = Buffer.alloc(0);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const length = buffer.readInt32BE(0);
          if (buffer.length < length) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(length);
          if (code === 80877103) {
            socket.write('N');
            continue;
          }
          started = true;
          const ask = Buffer.alloc(9);
          ask.write('R', 0);
          ask.writeInt32BE(8, 1);
          ask.writeInt32BE(3, 5); // AuthenticationCleartextPassword
          socket.write(ask);
          continue;
        }
        if (buffer.length < 5) return;
        const length = buffer.readInt32BE(1);
        if (buffer.length < length + 1) return;
        if (buffer.toString('latin1', 0, 1) === 'p') passwords.push(buffer.toString('utf8', 5, length).replace(/\0$/, ''));
        buffer = buffer.subarray(length + 1);
        const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed for user "victim"\0\0', 'utf8');
        const error = Buffer.alloc(5);
        error.write('E', 0);
        error.writeInt32BE(fields.length + 4, 1);
        socket.end(Buffer.concat([error, fields]));
        return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, passwords };
}

function makeFifo(name: string): string {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  const path = join(dir.path, name);
  execFileSync('mkfifo', [path]);
  return path;
}

/** Sets process variables for one test: node-postgres reads PGPASSWORD and PGPASSFILE from there itself. */
function withProcessEnv(vars: Record<string, string>): void {
  for (const [name, value] of Object.entries(vars)) {
    const before = process.env[name];
    process.env[name] = value;
    cleanups.push(() => {
      if (before === undefined) delete process.env[name];
      else process.env[name] = before;
    });
  }
}

async function stack(): Promise<Stack> {
  const dir = makeTempDir();
  const started = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, env: {} });
  cleanups.push(() => dir.remove(), () => started.stop());
  return started;
}

async function diagnose(s: Stack, url: string): Promise<StoredDoctorReport> {
  const outcome = await s.dispatcher.dispatch('doctor.run', { url }, { transport: 'http' });
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.result as StoredDoctorReport;
}

describe('doctor.run with a typed URL', () => {
  it('sends no password from PGPASSWORD or ~/.pgpass to the host the URL names', async () => {
    const catcher = await passwordCatcher();
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const pgpass = join(dir.path, 'pgpass');
    writeFileSync(pgpass, '*:*:*:*:PgpassSecret-456\n', { mode: 0o600 });
    withProcessEnv({ PGPASSWORD: 'EnvPgSecret-123', PGPASSFILE: pgpass });
    const s = await stack();
    const { report } = await diagnose(s, `postgres://victim@127.0.0.1:${catcher.port}/db?sslmode=disable`);
    expect(catcher.passwords.length).toBeGreaterThan(0);
    expect(catcher.passwords.every((password) => password === '')).toBe(true);
    const auth = report.steps.find((step) => step.id === 'auth');
    expect(auth).toMatchObject({ status: 'fail', code: '28P01', remedy: expect.stringContaining('no password was given') });
    expect(report.steps.find((step) => step.id === 'env')?.detail).toContain('the environment, .env files and ~/.pgpass add nothing to it');
  });

  it('control: `bulkhead doctor --url` at the terminal keeps libpq semantics (PGPASSWORD fills in), so the catcher does see passwords', async () => {
    const catcher = await passwordCatcher();
    const cwd = makeTempDir();
    cleanups.push(() => cwd.remove());
    const report = await runDoctor({ env: { PGPASSWORD: 'TerminalUser-789' }, cwd: cwd.path, url: `postgres://victim@127.0.0.1:${catcher.port}/db?sslmode=disable`, clock: systemClock });
    expect(catcher.passwords).toContain('TerminalUser-789');
    expect(JSON.stringify(report)).not.toContain('TerminalUser-789');
  });

  it('refuses a FIFO as sslrootcert without blocking the host', async () => {
    const catcher = await passwordCatcher();
    const fifo = makeFifo('ca.pem');
    const s = await stack();
    const { report } = await diagnose(s, `postgres://victim:pw@127.0.0.1:${catcher.port}/db?sslmode=verify-full&sslrootcert=${encodeURIComponent(fifo)}`);
    expect(report.steps.find((step) => step.id === 'tls')).toMatchObject({ status: 'fail', code: 'TLS_FILE_UNREADABLE', detail: expect.stringContaining('named pipe (FIFO)') });
    // The host still answers.
    expect(await s.dispatcher.dispatch('app.info', {}, { transport: 'http' })).toMatchObject({ ok: true });
  });

  it('refuses a FIFO as --env-file (or a .env that is one) without blocking', async () => {
    const envFile = makeFifo('env.fifo');
    const cwd = makeTempDir();
    cleanups.push(() => cwd.remove());
    const report = await runDoctor({ env: {}, cwd: cwd.path, envFile, clock: systemClock });
    expect(report.steps[0]).toMatchObject({ id: 'env', status: 'fail', code: 'ENV_FILE_UNREADABLE', detail: expect.stringContaining('named pipe (FIFO)') });
  });
});
