import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRunningHost } from '../electron/host/running-host';
import { readHostAccess } from '../electron/host/host-access-file';
import { removeDataDir } from '../electron/stack/db/testing/remove-data-dir';

export interface HostProcess {
  /** The launch link `bulkhead serve` printed (single use). */
  readonly printedUrl: string;
  readonly origin: string;
  readonly port: number;
  readonly dataDir: string;
  readonly output: () => string;
  /** A fresh single-use launch link, as `bulkhead open [--page P]` prints it. */
  newLink(page?: string): Promise<string>;
  /** The host secret from the data dir's host.json (what local clients hold; never sent to a browser). */
  hostSecret(): string;
  stop(): Promise<number | null>;
}

const PRINTED_LINK = /Bulkhead panel: (http:\/\/127\.0\.0\.1:\d+\/#code=[\w-]+)/;

/**
 * Starts `bulkhead serve` as a user would (the real CLI, its own data dir and a free port) and waits
 * for the link it prints. New links come from the running host the way `bulkhead open` gets them.
 * `stop` sends SIGINT and waits for a clean exit.
 */
export async function startHostProcess(extraEnv: NodeJS.ProcessEnv = {}): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bulkhead-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['bin/bulkhead.js', 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const printedUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bulkhead serve printed no link in 60 s:\n${output}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = PRINTED_LINK.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bulkhead serve exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(printedUrl);
  return {
    printedUrl,
    origin: parsed.origin,
    port: Number(parsed.port),
    dataDir,
    output: () => output,
    newLink: async (page) => {
      const host = await findRunningHost(dataDir);
      if (!host) throw new Error(`no host published in ${dataDir}:\n${output}`);
      return (await host.launchLink(page)).url;
    },
    hostSecret: () => readHostAccess(dataDir)?.secret ?? '',
    stop: async () => {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      const code = await exited;
      removeDataDir(dataDir);
      return code;
    },
  };
}
