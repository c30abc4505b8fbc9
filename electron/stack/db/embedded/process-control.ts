import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sleep, systemClock } from '../../clock/clock';
import { isProcessAlive } from './postmaster-pid';

/** The executable name of a process, or null when it cannot be told (it is gone, or no /proc and no ps). */
export function processName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    // no /proc (macOS): ask ps
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'comm='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('/').pop() ?? null;
  } catch {
    return null;
  }
}

/**
 * Stops a postmaster by pid: SIGINT (PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit),
 * then SIGQUIT (immediate) and SIGKILL if it does not go in time. Works for a server that is not our
 * child (one adopted after a crash), so it waits by polling rather than on a child 'exit' event.
 */
export async function stopPostmaster(pid: number, options: { fastMs?: number; immediateMs?: number; exited?: Promise<unknown> } = {}): Promise<'fast' | 'immediate' | 'killed' | 'gone'> {
  if (!isProcessAlive(pid)) return 'gone';
  const attempts: { signal: NodeJS.Signals; waitMs: number; outcome: 'fast' | 'immediate' | 'killed' }[] = [
    { signal: 'SIGINT', waitMs: options.fastMs ?? 15_000, outcome: 'fast' },
    { signal: 'SIGQUIT', waitMs: options.immediateMs ?? 5_000, outcome: 'immediate' },
    { signal: 'SIGKILL', waitMs: 5_000, outcome: 'killed' },
  ];
  for (const attempt of attempts) {
    try {
      process.kill(pid, attempt.signal);
    } catch {
      return 'gone';
    }
    if (await waitForExit(pid, attempt.waitMs, options.exited)) return attempt.outcome;
  }
  return 'killed';
}

async function waitForExit(pid: number, ms: number, exited: Promise<unknown> | undefined): Promise<boolean> {
  const deadline = performance.now() + ms;
  let childExited = false;
  void exited?.then(() => (childExited = true));
  while (performance.now() < deadline) {
    // A child of ours stays a zombie (still "alive" to kill 0) until node reaps it: trust its exit event.
    if (childExited || !isProcessAlive(pid)) return true;
    await sleep(systemClock, 25);
  }
  return childExited || !isProcessAlive(pid);
}
