import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `bin/bulkhead.js` and `scripts/start.js` live there. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Started {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` appears on stdout or stderr (rejects if the process exits first). */
  waitFor(pattern: RegExp): Promise<void>;
  readonly exited: Promise<Finished>;
}

/**
 * The environment of a child Bulkhead: this one's, without anything that would point it at a database
 * or data dir the test did not choose (a developer's DATABASE_URL, PG* variables), plus `extra`.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key.startsWith('PG') || key.startsWith('BULKHEAD_')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts a real process (`node <script> ...args`) in the repository root. */
export function startProcess(script: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; detached?: boolean; nodeArgs?: readonly string[] } = {}): Started {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  const onData = (): void => watchers.forEach((check) => check());
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onData();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onData();
  });
  const exited = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(stdout) || pattern.test(stderr)) {
            watchers.delete(check);
            resolve();
          }
        };
        watchers.add(check);
        check();
        void exited.then((end) => {
          if (watchers.delete(check)) reject(new Error(`exited (${end.code ?? end.signal}) before ${pattern}:\n${stdout}\n${stderr}`));
        });
      }),
  };
}

/** Runs the real `bulkhead` command to the end. */
export function runBulkhead(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return startProcess('bin/bulkhead.js', args, { env }).exited;
}
