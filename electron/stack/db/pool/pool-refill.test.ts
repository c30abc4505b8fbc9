import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { silentLogger } from '../../log/logger';
import { PoolRefiller, type RefillablePool } from './pool-refill';

/**
 * The refiller's decisions (how many, when, how often) against a pool whose connects the test answers
 * by hand, on a manual clock. What a real server does to it is in instrumented-pool.test.ts.
 */
class ScriptedPool implements RefillablePool {
  clients = 0;
  readonly opens: Array<{ count: number; signal: AbortSignal; resolve: () => void; reject: (error: Error) => void }> = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    readonly min: number,
    readonly max: number,
  ) {}

  total(): number {
    return this.clients;
  }

  open(count: number, signal: AbortSignal): Promise<number> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const fresh = Math.min(count, this.max - this.clients);
    return new Promise<number>((resolve, reject) => {
      this.opens.push({
        count,
        signal,
        resolve: () => {
          this.inFlight -= 1;
          this.clients += fresh;
          resolve(fresh);
        },
        reject: (error) => {
          this.inFlight -= 1;
          reject(error);
        },
      });
    });
  }

  /** Answers the oldest open() still waiting. */
  async answer(outcome: 'connect' | Error): Promise<void> {
    const next = this.opens.shift();
    if (!next) throw new Error('no open() is waiting');
    if (outcome === 'connect') next.resolve();
    else next.reject(outcome);
    await flush();
  }
}

const refused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

function rig(min = 5, max = 20) {
  const clock = new ManualClock();
  const pool = new ScriptedPool(min, max);
  // random() = 1: every back-off is its full step, so the schedule below is exact.
  const refiller = new PoolRefiller({ pool, clock, log: silentLogger, backoff: { initialMs: 250, maxMs: 2_000 }, random: () => 1 });
  return { clock, pool, refiller };
}

describe('PoolRefiller', () => {
  it('opens exactly the missing clients in one attempt and is at min after', async () => {
    const { pool, refiller } = rig(5);
    pool.clients = 1;
    refiller.request();
    expect(refiller.snapshot()).toMatchObject({ state: 'refilling', missing: 4 });
    expect(pool.opens.map((o) => o.count)).toEqual([4]);
    await pool.answer('connect');
    expect(refiller.snapshot()).toMatchObject({ state: 'at-min', missing: 0, opened: 4, failures: 0, belowMinSince: null });
  });

  it('does nothing at or above min', async () => {
    const { pool, refiller } = rig(2);
    pool.clients = 3;
    refiller.request();
    await flush();
    expect(pool.opens).toEqual([]);
    expect(refiller.snapshot().state).toBe('at-min');
  });

  it('runs one attempt at a time however many clients are lost meanwhile, and re-reads the level after it', async () => {
    const { pool, refiller } = rig(5);
    pool.clients = 4;
    refiller.request();
    // Four more clients die while the first replacement connects: each one asks again.
    for (let i = 0; i < 4; i++) {
      pool.clients -= 1;
      refiller.request();
    }
    expect(pool.opens.map((o) => o.count)).toEqual([1]);
    await pool.answer('connect');
    expect(pool.opens.map((o) => o.count)).toEqual([4]);
    await pool.answer('connect');
    expect(pool.clients).toBe(5);
    expect(pool.maxInFlight).toBe(1);
    expect(refiller.snapshot().state).toBe('at-min');
  });

  it('backs off on refusal (doubling, capped), probes with one client, and fills the rest once it connects', async () => {
    const { clock, pool, refiller } = rig(5);
    refiller.request();
    expect(pool.opens[0]?.count).toBe(5);
    const t0 = clock.now();
    await pool.answer(refused());
    expect(refiller.snapshot()).toMatchObject({ state: 'backing-off', failures: 1, retryAt: t0 + 250, lastError: expect.stringContaining('ECONNREFUSED') });
    expect(refiller.snapshot().belowMinSince).toBe(t0);

    // Losing more clients during a back-off does not start an attempt early.
    refiller.request();
    expect(pool.opens).toEqual([]);

    const waits: number[] = [];
    for (let failure = 1; failure <= 5; failure++) {
      const retryAt = refiller.snapshot().retryAt!;
      waits.push(retryAt - clock.now());
      await clock.advanceAsync(retryAt - clock.now() - 1);
      expect(pool.opens).toEqual([]); // not a moment early
      await clock.advanceAsync(1);
      expect(pool.opens.map((o) => o.count)).toEqual([1]); // one client per attempt while it refuses
      await pool.answer(refused());
    }
    expect(waits).toEqual([250, 500, 1000, 2000, 2000]);
    expect(refiller.snapshot().failures).toBe(6);

    await clock.advanceAsync(refiller.snapshot().retryAt! - clock.now());
    await pool.answer('connect'); // the probe gets through…
    expect(pool.opens.map((o) => o.count)).toEqual([4]); // …and the rest follow at once
    await pool.answer('connect');
    expect(refiller.snapshot()).toMatchObject({ state: 'at-min', failures: 0, lastError: null, retryAt: null, opened: 5 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('puts jitter on the back-off: between half and all of the step', async () => {
    const clock = new ManualClock();
    const pool = new ScriptedPool(1, 1);
    const refiller = new PoolRefiller({ pool, clock, log: silentLogger, backoff: { initialMs: 1000, maxMs: 1000 }, random: () => 0 });
    refiller.request();
    await pool.answer(refused());
    expect(refiller.snapshot().retryAt! - clock.now()).toBe(500);
    await refiller.stop();
  });

  it('retryNow skips the rest of a back-off', async () => {
    const { clock, pool, refiller } = rig(2);
    refiller.request();
    await pool.answer(refused());
    expect(refiller.snapshot().state).toBe('backing-off');
    refiller.retryNow();
    expect(clock.pendingTimers).toBe(0);
    expect(pool.opens.map((o) => o.count)).toEqual([1]);
    await pool.answer('connect');
    await pool.answer('connect');
    expect(refiller.snapshot().state).toBe('at-min');
  });

  it('never asks for more than max allows', async () => {
    const { pool, refiller } = rig(5, 5);
    pool.clients = 2;
    refiller.request();
    expect(pool.opens.map((o) => o.count)).toEqual([3]);
    await pool.answer('connect');
    expect(pool.clients).toBe(5);
  });

  it('backs off when opened clients do not stay open (a server that ends sessions at once)', async () => {
    const { pool, refiller } = rig(3);
    refiller.request();
    for (let round = 0; round < 3; round++) {
      const open = pool.opens[0]!;
      open.resolve();
      pool.clients = 0; // killed as soon as they connected
      pool.opens.shift();
      await flush();
    }
    expect(pool.opens).toEqual([]);
    expect(refiller.snapshot()).toMatchObject({ state: 'backing-off', failures: 1, lastError: expect.stringContaining('did not stay open') });
  });

  it('stop during a back-off clears its timer and never opens again', async () => {
    const { clock, pool, refiller } = rig(2);
    refiller.request();
    await pool.answer(refused());
    expect(clock.pendingTimers).toBe(1);
    await refiller.stop();
    expect(clock.pendingTimers).toBe(0);
    refiller.request();
    refiller.retryNow();
    await clock.advanceAsync(60_000);
    expect(pool.opens).toEqual([]);
    expect(refiller.snapshot()).toMatchObject({ state: 'stopped', retryAt: null });
  });

  it('stop during an attempt aborts it and schedules nothing, whatever the attempt then says', async () => {
    const { clock, pool, refiller } = rig(2);
    refiller.request();
    const attempt = pool.opens[0]!;
    const stopped = refiller.stop();
    expect(attempt.signal.aborted).toBe(true);
    attempt.reject(refused());
    await stopped;
    pool.opens.shift();
    await clock.advanceAsync(60_000);
    expect(clock.pendingTimers).toBe(0);
    expect(pool.opens).toEqual([]);
    expect(refiller.snapshot().state).toBe('stopped');
  });
});
