import { describe, expect, it } from 'vitest';
import { startProcess } from './testing/run-bulkhead';

const FIXTURE = 'electron/cli/testing/stalling-cli.ts';

function run(command: string) {
  return startProcess(FIXTURE, [command], { nodeArgs: ['--import', 'tsx'] });
}

describe('the CLI process guard', () => {
  it('turns an event loop that ran empty under a pending command into exit 1 with an internal error, after letting the command clean up', async () => {
    const end = await run('stall').exited;
    expect(end.code).toBe(1);
    expect(end.stderr).toContain('bulkhead: internal error: the command was left waiting for something that can never happen');
    expect(end.stderr).toContain('cleaned up after: CLI_STALLED');
  });

  it('exits 1 even when the stalled command never wakes up (never 13, never 0)', async () => {
    const end = await run('deaf').exited;
    expect(end.code).toBe(1);
    expect(end.stderr).toContain('internal error');
  });

  it('counts one Ctrl+C delivered twice (terminal and a forwarding parent) once: clean shutdown, exit 0', async () => {
    const started = run('wait-abort');
    await started.waitFor(/waiting/);
    started.child.kill('SIGINT');
    // A moment later, as a forwarding parent's copy arrives (back to back, the kernel would merge them).
    await new Promise((resolve) => setTimeout(resolve, 100));
    started.child.kill('SIGINT');
    const end = await started.exited;
    expect(end.code).toBe(0);
    expect(end.stderr).toContain('stopped cleanly');
    expect(end.stderr).not.toContain('second Ctrl+C');
  });

  it('treats a second Ctrl+C after the duplicate window as the user insisting: exit 130 without waiting for the shutdown', async () => {
    const started = run('slow-stop');
    await started.waitFor(/waiting/);
    started.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    started.child.kill('SIGINT');
    const end = await started.exited;
    expect(end.code).toBe(130);
    expect(end.stderr).toContain('second Ctrl+C: exiting without a clean shutdown');
  });
});
