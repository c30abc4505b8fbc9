import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../shared/contract';
import { useTestDatabase } from '../db/testing/test-database';
import { silentLogger } from '../log/logger';
import { startStack, type Stack } from '../stack';
import { makeTempDir } from '../testing/temp-dir';

const db = useTestDatabase('demo');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ctx = { transport: 'in-process' } as const;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 25_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 400)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
    value = await read();
  }
  return value;
}

// What the Limiters and Pool pages promise must show up under the demo load: 429s and pauses on a provider
// limiter (another process spends the same quota), and real pool leases, waits and a long holder.
describe('demo load against a real database', () => {
  it('makes the provider answer 429 (the limiter pauses and retries) and the pool lease, wait and flag a long holder', async () => {
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    const stack: Stack = await startStack({
      dataDir: dir.path,
      role: 'test',
      log: silentLogger,
      monitorIntervalMs: 100,
      database: { url: db.url },
      poolOverrides: { applicationName: `bh-demo-${randomBytes(3).toString('hex')}`, min: 1, max: 4, leakThresholdMs: 1_500 },
    });
    cleanups.push(() => stack.stop());
    await stack.core.database.whenReady();

    const started = await stack.dispatcher.dispatch('concurrency.demo.start', { durationSec: 40 }, ctx);
    expect(started).toMatchObject({ ok: true });
    const concurrency = async (): Promise<PayloadOf<'concurrency.snapshot'>> => {
      const answer = await stack.dispatcher.dispatch('concurrency.snapshot', {}, ctx);
      if (!answer.ok) throw new Error(answer.error.message);
      return answer.result as PayloadOf<'concurrency.snapshot'>;
    };
    let sawWaiting = false;
    const pool = async (): Promise<PayloadOf<'pool.snapshot'>> => {
      const answer = await stack.dispatcher.dispatch('pool.snapshot', {}, ctx);
      if (!answer.ok) throw new Error(answer.error.message);
      const snapshot = answer.result as PayloadOf<'pool.snapshot'>;
      if (snapshot.counts.waiting > 0) sawWaiting = true;
      return snapshot;
    };

    const limiters = await until(
      concurrency,
      (s) => {
        const openai = s.limiters.find((l) => l.name === 'demo.openai');
        return openai !== undefined && openai.http429 > 0 && openai.pauses > 0;
      },
      'a 429 and a pause on demo.openai',
    );
    const openai = limiters.limiters.find((l) => l.name === 'demo.openai')!;
    expect(openai.retries).toBeGreaterThan(0);

    const poolAfter = await until(pool, (s) => s.totals.leaksDetected > 0 && sawWaiting && s.acquireWaitMs.count > 0, 'pool waits and a long holder');
    expect(poolAfter.totals.acquired).toBeGreaterThan(poolAfter.counts.max);

    const stopped = await stack.dispatcher.dispatch('concurrency.demo.stop', {}, ctx);
    expect(stopped).toMatchObject({ ok: true, result: { running: false } });
    // Every demo lease went back: nothing leased once the demo stopped.
    expect((await pool()).counts.leased).toBe(0);
  }, 60_000);
});
