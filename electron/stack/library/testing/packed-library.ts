import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

export interface PackedLibrary {
  tarball: string;
  /** Bytes of the .tgz. */
  size: number;
  /** Bytes of the files inside it. */
  unpackedSize: number;
  files: number;
}

/** Builds the package from the current sources and packs it (scripts/build-library.js --pack). */
export async function buildAndPackLibrary(): Promise<PackedLibrary> {
  const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'scripts/build-library.js'), '--pack'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as PackedLibrary;
}

/**
 * A fresh project in `dir` (type: module) with the tarball and `extra` registry packages installed, as a
 * user would: `npm install <tarball> …`. Nothing is cached outside `dir` but npm's own cache.
 */
export async function installIntoFreshProject(dir: string, tarball: string, extra: readonly string[] = []): Promise<void> {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extra], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
}

/** Runs `node file` in `dir`; resolves with stdout, rejects with stderr in the message. */
export async function runNode(dir: string, file: string, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [file], { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`node ${file} failed: ${failure.stderr ?? failure.message}`, { cause: error });
  }
}
