import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../shared/contract';
import { waitFor } from '../chaos/testing/tcp-fixtures';
import { Semaphore } from '../concurrency/semaphore';
import { silentLogger } from '../log/logger';
import { TokenBucket } from '../ratelimit/token-bucket';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function testStack(): Promise<Stack> {
  const dir = makeTempDir();
  cleanups.push(() => dir.remove());
  const stack = await startStack({ dataDir: dir.path, role: 'test', log: silentLogger, monitorIntervalMs: 50 });
  cleanups.push(() => stack.stop());
  return stack;
}

const ctx = { transport: 'in-process' } as const;

describe('concurrency.* through the dispatcher', () => {
  it('shows a primitive registered with one call, live, until it is unregistered', async () => {
    const stack = await testStack();
    const events: PayloadOf<'concurrency.snapshot'>[] = [];
    stack.hub.subscribe('concurrency.snapshot', (payload) => events.push(payload));
    const semaphore = new Semaphore({ name: 'agents', permits: 3 });
    const bucket = new TokenBucket({ name: 'tokens', capacity: 10, refillPerSec: 1 });
    const unregister = [stack.core.concurrency.register(semaphore), stack.core.concurrency.register(bucket)];
    const permit = await semaphore.acquire({ label: 'rag-answer#1' });
    bucket.tryTake(4);

    const answer = await stack.dispatcher.dispatch('concurrency.snapshot', {}, ctx);
    expect(answer).toMatchObject({
      ok: true,
      result: {
        semaphores: [{ name: 'agents', permits: 3, inUse: 1 }],
        limiters: [{ name: 'tokens', kind: 'token-bucket', admitted: 1 }],
        workerPools: [],
        demo: { running: false },
      },
    });
    await waitFor(() => events.some((event) => event.semaphores[0]?.inUse === 1), 'a pushed snapshot with the semaphore');
    permit.release();
    unregister.forEach((undo) => undo());
    const after = await stack.dispatcher.dispatch('concurrency.snapshot', {}, ctx);
    expect(after).toMatchObject({ ok: true, result: { semaphores: [], limiters: [] } });
  });

  it('rejects bad demo params with a structured error naming the field', async () => {
    const stack = await testStack();
    const answer = await stack.dispatcher.dispatch('concurrency.demo.start', { durationSec: 0 }, ctx);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS', issues: [{ path: 'durationSec' }] } });
  });

  it('runs the demo load: demo primitives appear with real activity, and stop removes them', async () => {
    const stack = await testStack();
    const started = await stack.dispatcher.dispatch('concurrency.demo.start', { durationSec: 30 }, ctx);
    expect(started).toMatchObject({ ok: true, result: { running: true } });
    const snapshot = async (): Promise<PayloadOf<'concurrency.snapshot'>> => {
      const answer = await stack.dispatcher.dispatch('concurrency.snapshot', {}, ctx);
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.result as PayloadOf<'concurrency.snapshot'>;
    };
    let latest = await snapshot();
    expect(latest.semaphores.map((s) => s.name)).toEqual(['demo.agents', 'demo.db-slots']);
    expect(latest.workerPools.map((p) => p.name)).toEqual(['demo.cpu']);
    expect(latest.limiters.map((l) => l.name).sort()).toEqual(['demo.anthropic', 'demo.api-window', 'demo.embeddings', 'demo.ingest-window', 'demo.openai']);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      latest = await snapshot();
      const openai = latest.limiters.find((l) => l.name === 'demo.openai')!;
      const cpu = latest.workerPools[0]!;
      // Provider calls went through the limiter (it learned the simulator's limits from headers) and CPU work ran.
      if (openai.admitted > 0 && openai.buckets.length === 2 && cpu.completed > 0 && latest.semaphores[0]!.acquired > 10) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const openai = latest.limiters.find((l) => l.name === 'demo.openai')!;
    expect(openai.buckets.map((b) => [b.name, b.capacity, b.source])).toEqual([
      ['requests', 600, 'headers'],
      ['tokens', 120_000, 'headers'],
    ]);
    expect(latest.workerPools[0]!.completed).toBeGreaterThan(0);
    const stopped = await stack.dispatcher.dispatch('concurrency.demo.stop', {}, ctx);
    expect(stopped).toMatchObject({ ok: true, result: { running: false } });
    const after = await snapshot();
    expect(after.semaphores.length + after.limiters.length + after.workerPools.length).toBe(0);
  });
});
