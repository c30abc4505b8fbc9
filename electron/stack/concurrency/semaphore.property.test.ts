import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/manual-clock';
import { AbortError, TimeoutError } from './errors';
import { Semaphore, type Permit } from './semaphore';
import { flushMicrotasks, randomInt, seededRandom } from './testing/seeded-random';

interface Request {
  readonly id: number;
  readonly weight: number;
  readonly controller: AbortController;
  outcome: 'waiting' | 'granted' | 'timeout' | 'aborted';
  permit: Permit | null;
}

/**
 * Random schedules of acquire (weighted, some with timeouts or signals), release, abort and time steps.
 * After every step: in use never exceeds permits and equals what granted callers hold; grants follow
 * arrival order; every request is either still queued or settled exactly once; at the end, with every
 * permit released, nothing is queued, held or lost.
 */
async function runSchedule(seed: number, operations: number): Promise<{ violations: string[]; operations: number }> {
  const random = seededRandom(seed);
  const clock = new ManualClock();
  const permits = randomInt(random, 1, 6);
  const semaphore = new Semaphore({ name: `prop-${seed}`, permits, clock, timingSampleEvery: 1 + (seed % 3) });
  const requests: Request[] = [];
  const granted: Request[] = [];
  const grantOrder: number[] = [];
  const violations: string[] = [];
  let nextId = 0;

  const check = (step: number): void => {
    const held = granted.reduce((sum, request) => sum + request.weight, 0);
    if (semaphore.inUse > semaphore.permits) violations.push(`step ${step}: inUse ${semaphore.inUse} > permits ${semaphore.permits}`);
    if (held !== semaphore.inUse) violations.push(`step ${step}: callers hold ${held} but inUse is ${semaphore.inUse}`);
    const waiting = requests.filter((request) => request.outcome === 'waiting').length;
    if (waiting !== semaphore.waiting) violations.push(`step ${step}: ${waiting} callers wait but the queue has ${semaphore.waiting}`);
  };

  for (let step = 0; step < operations; step++) {
    const roll = random();
    if (roll < 0.45) {
      const weight = random() < 0.8 ? 1 : randomInt(random, 1, permits);
      const request: Request = { id: nextId++, weight, controller: new AbortController(), outcome: 'waiting', permit: null };
      const useTimeout = random() < 0.2;
      requests.push(request);
      semaphore
        .acquire({ weight, signal: request.controller.signal, label: `r${request.id}`, ...(useTimeout ? { timeoutMs: randomInt(random, 1, 50) } : {}) })
        .then(
          (permit) => {
            if (request.outcome !== 'waiting') violations.push(`request ${request.id} settled twice`);
            request.outcome = 'granted';
            request.permit = permit;
            granted.push(request);
            grantOrder.push(request.id);
          },
          (error: unknown) => {
            if (request.outcome !== 'waiting') violations.push(`request ${request.id} settled twice`);
            if (error instanceof TimeoutError) request.outcome = 'timeout';
            else if (error instanceof AbortError) request.outcome = 'aborted';
            else violations.push(`request ${request.id} failed unexpectedly: ${String(error)}`);
          },
        );
    } else if (roll < 0.8) {
      if (granted.length > 0) {
        const index = randomInt(random, 0, granted.length - 1);
        const [request] = granted.splice(index, 1);
        request!.permit!.release();
        if (random() < 0.1) request!.permit!.release(); // double release must change nothing
      }
    } else if (roll < 0.88) {
      const waiting = requests.filter((request) => request.outcome === 'waiting');
      if (waiting.length > 0) waiting[randomInt(random, 0, waiting.length - 1)]!.controller.abort();
    } else {
      clock.advance(randomInt(random, 0, 20));
    }
    await flushMicrotasks(3);
    check(step);
    if (requests.length > 2000) requests.splice(0, requests.length - 2000).forEach((request) => {
      if (request.outcome === 'waiting') requests.push(request); // keep tracking anything still queued
    });
  }

  // Grants must follow arrival order: ids only grow along the grant sequence.
  for (let i = 1; i < grantOrder.length; i++) {
    if (grantOrder[i]! < grantOrder[i - 1]!) violations.push(`grant order broke FIFO: ${grantOrder[i - 1]} before ${grantOrder[i]}`);
  }
  // Drain: release everything; every waiter must eventually be granted (none lost).
  for (let round = 0; round < 100_000 && (granted.length > 0 || semaphore.waiting > 0); round++) {
    granted.shift()?.permit?.release();
    await flushMicrotasks(3);
  }
  if (semaphore.inUse !== 0) violations.push(`after drain inUse is ${semaphore.inUse}`);
  if (semaphore.waiting !== 0) violations.push(`after drain ${semaphore.waiting} still queued`);
  const stuck = requests.filter((request) => request.outcome === 'waiting');
  if (stuck.length > 0) violations.push(`${stuck.length} waiters were lost`);
  return { violations, operations };
}

describe('Semaphore under random schedules', () => {
  it('never exceeds its permits, keeps FIFO order and loses no waiter (≥100,000 operations)', async () => {
    let total = 0;
    const violations: string[] = [];
    for (let seed = 1; seed <= 25; seed++) {
      const result = await runSchedule(seed, 4_000);
      total += result.operations;
      violations.push(...result.violations.map((violation) => `seed ${seed}: ${violation}`));
    }
    expect(violations.slice(0, 10)).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(100_000);
  });
});
