import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../stack/testing/temp-dir';
import { startProcess, type Finished, type Started } from './testing/run-bulkhead';

const dirs: Array<{ remove: () => void }> = [];
const running: Started[] = [];
afterEach(() => {
  for (const started of running.splice(0)) {
    if (started.child.exitCode === null && started.child.pid) {
      try {
        process.kill(-started.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  dirs.splice(0).forEach((dir) => dir.remove());
});

/** Starts it in a process group of its own, as a terminal runs a foreground job. */
function startInOwnGroup(script: string, args: string[], dataDir: string): Started {
  const started = startProcess(script, args, { detached: true, env: { BULKHEAD_NO_ELECTRON: '1', BULKHEAD_DATA_DIR: dataDir } });
  running.push(started);
  return started;
}

/** Ctrl+C in a terminal: SIGINT to every process of the foreground group at once. */
function ctrlC(started: Started): void {
  process.kill(-started.child.pid!, 'SIGINT');
}

async function startAndInterrupt(script: string, args: string[], dataDir: string): Promise<Finished> {
  const started = startInOwnGroup(script, args, dataDir);
  await started.waitFor(/RAG database: ready/);
  await started.waitFor(/Bulkhead panel: http/);
  ctrlC(started);
  return started.exited;
}

describe('one Ctrl+C stops everything cleanly (real processes, SIGINT to the process group)', () => {
  it.each([
    ['npm start (scripts/start.js, browser host)', 'scripts/start.js', []],
    ['bulkhead serve', 'bin/bulkhead.js', ['serve']],
  ])('%s: exit 0, database stopped, lock released, next start clean', async (_name, script, args) => {
    const dir = makeTempDir('bulkhead-ctrl-c-');
    dirs.push(dir);
    const first = await startAndInterrupt(script, args, dir.path);
    expect(first.stderr).not.toContain('second Ctrl+C');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('RAG database: stopped');
    expect(existsSync(join(dir.path, 'bulkhead.lock'))).toBe(false);

    const second = await startAndInterrupt(script, args, dir.path);
    expect(second.stderr).not.toContain('did not shut down cleanly');
    expect(second.code).toBe(0);
    expect(existsSync(join(dir.path, 'bulkhead.lock'))).toBe(false);
  }, 180_000);
});
