import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface HostProcess {
  /** The printed URL, token included. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  readonly dataDir: string;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts `bulkhead serve` as a user would (the real CLI, its own data dir and a free port) and waits
 * for the URL it prints. `stop` sends SIGINT and waits for a clean exit.
 */
export async function startHostProcess(extraEnv: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/bulkhead.js', 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bulkhead serve printed no URL in 60 s:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /https?:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bulkhead serve exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    output: () => output,
    stop: async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
