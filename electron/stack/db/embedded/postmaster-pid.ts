import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The lock file a running postmaster keeps in its data directory (see PostgreSQL's miscadmin.h). */
export interface PostmasterPid {
  readonly pid: number;
  readonly dataDir: string;
  readonly startedAtEpochS: number;
  readonly port: number;
  readonly listenAddress: string;
  /** `starting`, `ready`, `stopping`, `standby` (PostgreSQL 10+). */
  readonly status: string;
}

export function readPostmasterPid(pgdata: string): PostmasterPid | null {
  let text: string;
  try {
    text = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return {
    pid,
    dataDir: lines[1] ?? '',
    startedAtEpochS: Number(lines[2]),
    port: Number(lines[3]),
    listenAddress: (lines[5] ?? '').trim(),
    status: (lines[7] ?? '').trim(),
  };
}

/**
 * Whether a process exists and has not exited (EPERM means it exists but belongs to someone else). A
 * zombie — exited, waiting for its parent to reap it, as an orphaned server is until init gets to it —
 * counts as gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: kill 0 is all we have
  }
}
