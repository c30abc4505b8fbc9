import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { BulkheadError } from '../errors';

/**
 * Reading a file someone named (a CLI flag, a URL parameter, a file in the data dir) without the three
 * ways that goes wrong: a FIFO or device that blocks forever (opened non-blocking, then refused after
 * fstat), a huge file (a size cap, checked on the open descriptor and again while reading, so a file
 * that grows is cut off), and an error that quotes what was read (messages name the file, never its
 * contents). Opening and checking one descriptor leaves no window to swap the file in between.
 */

export interface RegularFileLimits {
  /** Refused above this many bytes. */
  maxBytes: number;
  /** What the file is, for messages: "the stress profile", "sslrootcert". */
  what: string;
}

// O_NONBLOCK makes open() of a FIFO return at once instead of waiting for a writer; regular files ignore it.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export async function readRegularFile(path: string, limits: RegularFileLimits): Promise<string> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    throw openFailed(path, limits, error);
  }
  try {
    checkStats(path, limits, await handle.stat());
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limits.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) throw tooLarge(path, limits);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return decode(Buffer.concat(chunks, total));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The same for the few callers that must stay synchronous (TLS options built in a constructor). */
export function readRegularFileSync(path: string, limits: RegularFileLimits): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw openFailed(path, limits, error);
  }
  try {
    checkStats(path, limits, fstatSync(fd));
    const buffer = Buffer.alloc(limits.maxBytes + 1);
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limits.maxBytes) throw tooLarge(path, limits);
    }
    return decode(buffer.subarray(0, total));
  } finally {
    closeSync(fd);
  }
}

function checkStats(path: string, limits: RegularFileLimits, stats: Stats): void {
  if (!stats.isFile()) {
    throw new BulkheadError('FILE_NOT_REGULAR', `${limits.what} ${path} is ${kindOf(stats)}, not a regular file.`, {
      remedy: 'Give the path of an ordinary file (pipes, devices and folders are not read).',
    });
  }
  if (stats.size > limits.maxBytes) throw tooLarge(path, limits);
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(path: string, limits: RegularFileLimits): BulkheadError {
  return new BulkheadError('FILE_TOO_LARGE', `${limits.what} ${path} is larger than ${formatBytes(limits.maxBytes)}.`, {
    remedy: `Give a file of at most ${formatBytes(limits.maxBytes)}.`,
  });
}

function openFailed(path: string, limits: RegularFileLimits, error: unknown): BulkheadError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new BulkheadError('FILE_NOT_FOUND', `${limits.what} ${path} does not exist.`, { remedy: 'Check the path (relative paths start from the current folder).' });
  }
  return new BulkheadError('FILE_UNREADABLE', `${limits.what} ${path} cannot be opened (${code ?? 'error'}).`, {
    remedy: code === 'EACCES' || code === 'EPERM' ? 'Make the file readable by this user.' : 'Check the path names a readable file.',
    cause: error,
  });
}

function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
