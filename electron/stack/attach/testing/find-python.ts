import { spawnSync } from 'node:child_process';

export interface PythonCheck {
  /** A python3 that can import websockets, or null. */
  readonly python: string | null;
  /** Why there is none, for the skip message. */
  readonly reason: string;
}

/**
 * The Python attach example needs python3 and the `websockets` package (Debian: python3-websockets).
 * A version manager's python3 may come first on PATH without it, so the system one is tried too.
 */
export function findPythonWithWebsockets(env: NodeJS.ProcessEnv = process.env): PythonCheck {
  const candidates = [env.BULKHEAD_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  let sawPython = false;
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import websockets'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.error) continue;
    sawPython = true;
    if (probe.status === 0) return { python: candidate, reason: '' };
  }
  return {
    python: null,
    reason: sawPython
      ? 'skipped: python3 is installed but cannot import websockets — install python3-websockets (Debian) or `pip install websockets`, or point BULKHEAD_PYTHON at a python3 that has it'
      : 'skipped: no python3 found — install python3 and python3-websockets (Debian), or set BULKHEAD_PYTHON',
  };
}
