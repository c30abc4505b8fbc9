import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName, ResultOf } from '../../../shared/contract';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';
import { findPythonWithWebsockets } from './testing/find-python';
import { spawnAttached, type SpawnedAgent } from './testing/spawn-attached';

/**
 * Any language: the Python asyncio example (resources/examples/python, standard library + websockets)
 * reports an asyncio.Semaphore-backed bound; it must appear on the panel and show disconnected after it
 * stops. Skipped, saying why, where python3 or its websockets package is missing.
 */
const { python, reason } = findPythonWithWebsockets();
if (!python) console.warn(`python-attach.test.ts ${reason}`);

const dir = makeTempDir('bulkhead-attach-python-');
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

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return Date.now() - start;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return -1;
}

describe('Python attach example', () => {
  it.skipIf(!python)('its asyncio semaphore appears on the panel within 2 s, then shows disconnected', async () => {
    stack = await startStack({ dataDir: dir.path, role: 'test', attach: { enabled: true }, monitorIntervalMs: 100 });
    agent = spawnAttached(python as string, ['resources/examples/python/agent.py', '--semaphore', 'py-bound'], {
      BULKHEAD_ATTACH: stack.attachUrl() ?? '',
      BULKHEAD_PROCESS_NAME: 'python-agent',
    });
    await agent.ready;
    const seenAfter = await waitFor(async () => (await call('concurrency.snapshot')).semaphores.some((s) => s.name === 'py-bound'), 5000);
    expect(seenAfter, agent.output()).toBeGreaterThanOrEqual(0);
    expect(seenAfter).toBeLessThan(2000);
    const semaphore = (await call('concurrency.snapshot')).semaphores.find((s) => s.name === 'py-bound');
    expect(semaphore).toMatchObject({ permits: 3, process: { name: 'python-agent', connected: true } });
    expect(semaphore?.inUse).toBeLessThanOrEqual(3);
    expect((await call('attach.processes')).processes[0]).toMatchObject({ name: 'python-agent', language: 'python', pid: agent.child.pid, state: 'connected' });

    await agent.stop();
    const gone = await waitFor(async () => (await call('attach.processes')).processes[0]?.state === 'disconnected', 5000);
    expect(gone).toBeGreaterThanOrEqual(0);
    expect((await call('concurrency.snapshot')).semaphores.find((s) => s.name === 'py-bound')?.process?.connected).toBe(false);
  }, 30_000);
});
