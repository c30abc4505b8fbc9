import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { flushMicrotasks, randomInt, seededRandom } from '../concurrency/testing/seeded-random';
import type { QueuedLimiter } from './queued-limiter';
import { SlidingWindowCounter } from './sliding-window-counter';
import { SlidingWindowLog } from './sliding-window-log';
import { TokenBucket } from './token-bucket';

interface Admission {
  t: number;
  cost: number;
}

/**
 * Drives a limiter with a random mix of tryTake, wait (some aborted, some with timeouts) and time steps,
 * recording the clock time and cost of every admission. Returns the admissions and how many operations ran.
 */
async function drive(limiter: QueuedLimiter, clock: ManualClock, seed: number, operations: number, maxCost: number): Promise<Admission[]> {
  const random = seededRandom(seed);
  const admissions: Admission[] = [];
  const controllers: AbortController[] = [];
  for (let step = 0; step < operations; step++) {
    const roll = random();
    const cost = random() < 0.7 ? 1 : randomInt(random, 1, maxCost);
    if (roll < 0.4) {
      if (limiter.tryTake(cost)) admissions.push({ t: clock.now(), cost });
    } else if (roll < 0.7) {
      if (limiter.queued < 50) {
        const controller = new AbortController();
        controllers.push(controller);
        const timeoutMs = random() < 0.2 ? randomInt(random, 1, 300) : 0;
        limiter.wait(cost, { signal: controller.signal, timeoutMs }).then(
          () => admissions.push({ t: clock.now(), cost }),
          () => undefined,
        );
      }
    } else if (roll < 0.75) {
      controllers.splice(randomInt(random, 0, Math.max(0, controllers.length - 1)), 1)[0]?.abort();
    } else {
      // advanceAsync lets each admission's continuation record the time it was admitted at.
      await clock.advanceAsync(randomInt(random, 0, 60));
    }
    await flushMicrotasks(2);
    if (controllers.length > 200) controllers.splice(0, 100);
  }
  limiter.close();
  return admissions;
}

/** Largest total cost admitted in any half-open window [a, a + windowMs), checked at every admission. */
function worstWindow(admissions: readonly Admission[], windowMs: number): number {
  let worst = 0;
  let sum = 0;
  let start = 0;
  for (let end = 0; end < admissions.length; end++) {
    sum += admissions[end]!.cost;
    while (admissions[start]!.t <= admissions[end]!.t - windowMs) sum -= admissions[start++]!.cost;
    worst = Math.max(worst, sum);
  }
  return worst;
}

/** For a token bucket: the largest excess of admitted tokens over capacity + rate × span, over every span. */
function worstBucketExcess(admissions: readonly Admission[], capacity: number, ratePerMs: number): number {
  // admitted(i..j) ≤ capacity + rate (t_j − t_i)  ⇔  (S_j − r t_j) − (S_{i−1} − r t_i) ≤ capacity.
  let worst = Number.NEGATIVE_INFINITY;
  let prefix = 0;
  let lowest = Number.POSITIVE_INFINITY;
  for (const admission of admissions) {
    lowest = Math.min(lowest, prefix - ratePerMs * admission.t);
    prefix += admission.cost;
    worst = Math.max(worst, prefix - ratePerMs * admission.t - lowest - capacity);
  }
  return worst;
}

const SEEDS = 20;
const OPERATIONS_PER_SEED = 5_000;

describe('rate limiters under random schedules (≥100,000 operations each)', () => {
  it('TokenBucket never admits more than capacity + rate × span in any span', async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const clock = new ManualClock(0);
      const capacity = randomInt(seededRandom(seed * 7), 1, 20);
      const refillPerSec = randomInt(seededRandom(seed * 13), 1, 200);
      const bucket = new TokenBucket({ name: 'prop', capacity, refillPerSec, clock });
      const admissions = await drive(bucket, clock, seed, OPERATIONS_PER_SEED, capacity);
      const excess = worstBucketExcess(admissions, capacity, refillPerSec / 1000);
      if (excess > 1e-6) failures.push(`seed ${seed}: admitted ${excess} over the bound`);
      if (admissions.length === 0) failures.push(`seed ${seed}: admitted nothing`);
    }
    expect(failures).toEqual([]);
  });

  it('SlidingWindowLog never admits more than its limit in any window of its length', async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const clock = new ManualClock(0);
      const limit = randomInt(seededRandom(seed * 7), 1, 30);
      const windowMs = randomInt(seededRandom(seed * 13), 10, 2000);
      const log = new SlidingWindowLog({ name: 'prop', limit, windowMs, clock });
      const admissions = await drive(log, clock, seed, OPERATIONS_PER_SEED, limit);
      const worst = worstWindow(admissions, windowMs);
      if (worst > limit) failures.push(`seed ${seed}: ${worst} admitted in one window, limit ${limit}`);
    }
    expect(failures).toEqual([]);
  });

  it('SlidingWindowCounter never admits more than its limit in any window of its length', async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const clock = new ManualClock(0);
      const limit = randomInt(seededRandom(seed * 7), 1, 30);
      const windowMs = randomInt(seededRandom(seed * 13), 10, 2000);
      const slices = randomInt(seededRandom(seed * 17), 1, 20);
      const counter = new SlidingWindowCounter({ name: 'prop', limit, windowMs, slices, clock });
      const admissions = await drive(counter, clock, seed, OPERATIONS_PER_SEED, limit);
      const worst = worstWindow(admissions, windowMs);
      if (worst > limit) failures.push(`seed ${seed}: ${worst} admitted in one window, limit ${limit}`);
    }
    expect(failures).toEqual([]);
  });
});
