import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName, ResultOf } from '../../../shared/contract';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';
import { spawnAttached, spawnNodeAgent, type SpawnedAgent } from './testing/spawn-attached';

/**
 * The whole path with real processes: a stack with its attach endpoint, and a separate Node process
 * that only uses the library and has BULKHEAD_ATTACH set. It must show up with its semaphore within
 * 2 seconds of being ready, and show disconnected when it ends.
 */
const dir = makeTempDir('bulkhead-attach-live-');
let stack: Stack | null = null;
let agent: SpawnedAgent | null = null;
afterEach(async () => {
  await agent?.stop();
  await stack?.stop();
  stack = agent = null;
});

async function call<M extends MethodName>(method: M): Promise<ResultOf<M>> {
  if (!stack) throw new Error('no stack');
  const reply = await stack.dispatcher.dispatch(method, {}, { transport: 'in-process' });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result as ResultOf<M>;
}

describe('live attach', () => {
  it('a Node process using the library appears with its semaphore and limiter, then shows disconnected', async () => {
    stack = await startStack({ dataDir: dir.path, role: 'test', attach: { enabled: true }, monitorIntervalMs: 100 });
    const url = stack.attachUrl();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/attach\?token=/);
    agent = spawnNodeAgent({ BULKHEAD_ATTACH: url ?? '', BULKHEAD_PROCESS_NAME: 'live-test-agent', AGENT_SEMAPHORE: 'live-fan-out' });
    await agent.ready;
    const readyAt = Date.now();
    let seenAfterMs = -1;
    while (Date.now() - readyAt < 5000) {
      const snapshot = await call('concurrency.snapshot');
      if (snapshot.semaphores.some((s) => s.name === 'live-fan-out')) {
        seenAfterMs = Date.now() - readyAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seenAfterMs, agent.output()).toBeGreaterThanOrEqual(0);
    expect(seenAfterMs).toBeLessThan(2000);
    const snapshot = await call('concurrency.snapshot');
    const semaphore = snapshot.semaphores.find((s) => s.name === 'live-fan-out');
    expect(semaphore).toMatchObject({ permits: 4, process: { name: 'live-test-agent', connected: true } });
    expect(snapshot.limiters.find((l) => l.name === 'agent-requests')?.process?.name).toBe('live-test-agent');
    const listed = await call('attach.processes');
    expect(listed.processes).toEqual([expect.objectContaining({ name: 'live-test-agent', pid: agent.child.pid, state: 'connected', language: 'node' })]);

    await agent.stop();
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await call('attach.processes')).processes[0]?.state !== 'disconnected') {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await call('attach.processes')).processes[0]?.state).toBe('disconnected');
    const after = await call('concurrency.snapshot');
    expect(after.semaphores.find((s) => s.name === 'live-fan-out')?.process?.connected).toBe(false);
  }, 30_000);

  it('never keeps a finished process alive, and Bulkhead\'s own CLI does not attach itself', async () => {
    stack = await startStack({ dataDir: dir.path, role: 'test', attach: { enabled: true }, monitorIntervalMs: 100 });
    const env = { BULKHEAD_ATTACH: stack.attachUrl() ?? '', BULKHEAD_PROCESS_NAME: 'short-lived' };
    // Creates a semaphore, uses it once and returns: the process must end by itself, reporter or not.
    const script = "import { Semaphore } from './electron/stack/library/index.ts'; const s = new Semaphore({ name: 'once', permits: 1 }); await s.withPermit(async () => new Promise((r) => setTimeout(r, 1500))); console.log('ready');";
    agent = spawnAttached(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], env);
    const exited = new Promise<number | null>((resolve) => agent?.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    expect(await exited, agent.output()).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    // It did attach while it ran (1.5 s, with hello at once), and is gone now.
    for (let i = 0; i < 60 && (await call('attach.processes')).processes[0]?.state !== 'disconnected'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call('attach.processes')).processes.map((p) => [p.name, p.state])).toEqual([['short-lived', 'disconnected']]);

    const cli = spawnAttached(process.execPath, ['bin/bulkhead.js', 'bench', '--help'], { ...env, BULKHEAD_PROCESS_NAME: 'bulkhead-cli' });
    await new Promise((resolve) => cli.child.once('exit', resolve));
    expect((await call('attach.processes')).processes.map((p) => p.name)).not.toContain('bulkhead-cli');
  }, 40_000);

  it('is off for CLI and test stacks unless asked', async () => {
    stack = await startStack({ dataDir: dir.path, role: 'test' });
    expect(stack.attachUrl()).toBeNull();
    expect(await call('attach.info')).toEqual({ enabled: false, url: null, envLine: null });
  });
});
