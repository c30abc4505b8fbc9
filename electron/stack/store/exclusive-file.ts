import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Errors of filesystems without hard links (FAT, some network shares): fall back to O_EXCL. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Writes `content` to a new private file (0600) that must not exist yet; returns its path. */
export function writeTempFile(path: string, content: string): string {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return path;
}

/**
 * Creates `path` holding `content` if no file has that name; false if one does. With hard links the
 * name appears with its whole content at once (link of the written temp file); without them it is
 * created with O_EXCL and then written, so readers must allow a young unreadable file.
 */
export function createExclusive(temp: string, path: string, content: string): boolean {
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
  }
  try {
    writeTempFile(path, content);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The file's text, or null when it does not exist. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Deletes `path` only while it still holds `expected` (our own record); quiet when it is gone. */
export function removeIfUnchanged(path: string, expected: string): void {
  if (readText(path) !== expected) return;
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Blocks this thread for `ms` (lock acquisition is synchronous and happens once, at start). */
export function sleepSync(ms: number): void {
  Atomics.wait(pause, 0, 0, ms);
}
