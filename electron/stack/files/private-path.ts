import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data dir holds the app store, stored keys, the host's access file and (usually) the embedded
 * cluster: only its owner may enter it. Created 0700; an existing one that we own but that others can
 * read or enter (an older Bulkhead made them 0755) is tightened. A folder someone else owns is left as
 * it is — it is not ours to change.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tightenIfOurs(path, 0o700);
}

/**
 * Creates `path` as an empty 0600 file when it does not exist (so a library that creates it later —
 * SQLite — finds it private and gives its -wal and -shm files the same mode), and tightens an existing
 * one of ours that others may read.
 */
export function ensurePrivateFile(path: string): void {
  closeSync(openSync(path, 'a', 0o600));
  tightenIfOurs(path, 0o600);
}

/** Tightens a file of ours to `mode` when it allows more; missing files and other owners' files are skipped. */
export function tightenIfOurs(path: string, mode: number): void {
  if (process.platform === 'win32') return; // POSIX modes do not apply; the user profile's ACLs do
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return;
  }
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) return;
  if ((stat.mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
}
