import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../../../..');

export interface SpawnedAgent {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Resolves once the agent printed its ready line (its primitives exist). */
  readonly ready: Promise<void>;
  /** Ends it the way a user does (stdin closed, then SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts a process with BULKHEAD_ATTACH set: `command` with `args`, from the repo root. */
export function spawnAttached(command: string, args: readonly string[], env: NodeJS.ProcessEnv): SpawnedAgent {
  const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<void>((done, fail) => {
    const check = (): void => {
      if (/^ready$/m.test(output)) done();
    };
    child.stdout?.on('data', check);
    void exited.then(() => fail(new Error(`the agent exited before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    output: () => output,
    ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** The Node stand-in agent (TypeScript, run through tsx), using the library from source. */
export function spawnNodeAgent(env: NodeJS.ProcessEnv): SpawnedAgent {
  return spawnAttached(process.execPath, ['--import', 'tsx', 'electron/stack/attach/testing/attached-agent.ts'], env);
}
