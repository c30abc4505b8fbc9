import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/manual-clock';
import { flushMicrotasks } from '../testing/seeded-random';
import { AdaptiveSemaphore, type AdaptivePermit } from './adaptive-semaphore';
import { AimdAlgorithm } from './aimd';
import type { CallOutcome } from './call-outcome';
import { GradientAlgorithm } from './gradient';
import type { LimitAlgorithm } from './limit-algorithm';

type Command =
  | { kind: 'acquire'; timeoutMs: number }
  | { kind: 'release'; pick: number; outcome: CallOutcome }
  | { kind: 'abort'; pick: number }
  | { kind: 'advance'; ms: number };

// Weighted towards acquires so a queue builds and releases (some dropped) meet waiters.
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('acquire' as const), timeoutMs: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 300 })) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat(), outcome: fc.constantFrom<CallOutcome>('success', 'success', 'success', 'dropped', 'ignore') }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 400 }) }) },
);

const algorithmArbitrary = fc
  .record({ min: fc.integer({ min: 1, max: 5 }), span: fc.integer({ min: 0, max: 20 }), gradient: fc.boolean(), initialAt: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ min, span, gradient, initialAt }): (() => LimitAlgorithm) => {
    const bounds = { min, max: min + span, initial: min + initialAt * span };
    return () => (gradient ? new GradientAlgorithm({ ...bounds, minWindowSamples: 3, longWindow: 20 }) : new AimdAlgorithm({ ...bounds, backoffRatio: 0.7 }));
  });

/**
 * Random schedules of acquire (some with timeouts), release with a random outcome, abort and time steps,
 * on both algorithms with random bounds. After every step: the limit is within [min, max]; in use never
 * exceeds max; and whenever a permit was granted during a step, in use is within the current limit — a
 * lowered limit is never overshot by a new grant (holders from before the cut may exceed it until they
 * finish, which is allowed). At the end every waiter was served.
 */
async function check(makeAlgorithm: () => LimitAlgorithm, commands: Command[]): Promise<void> {
  const clock = new ManualClock();
  const algorithm = makeAlgorithm();
  const semaphore = new AdaptiveSemaphore({ name: 'prop', algorithm, clock });
  const held: AdaptivePermit[] = [];
  const waiting: AbortController[] = [];
  let settled = 0;
  let started = 0;
  let grants = 0;
  for (const command of commands) {
    const grantsBefore = grants;
    if (command.kind === 'acquire') {
      const controller = new AbortController();
      waiting.push(controller);
      started += 1;
      semaphore.acquire({ signal: controller.signal, ...(command.timeoutMs > 0 ? { timeoutMs: command.timeoutMs } : {}) }).then(
        (permit) => {
          settled += 1;
          grants += 1;
          held.push(permit);
        },
        () => {
          settled += 1;
        },
      );
    } else if (command.kind === 'release' && held.length > 0) {
      clock.advance(1 + (command.pick % 50)); // a call takes a while: gives the gradient latencies to learn
      held.splice(command.pick % held.length, 1)[0]!.release(command.outcome);
    } else if (command.kind === 'abort' && waiting.length > 0) {
      waiting[command.pick % waiting.length]!.abort();
    } else if (command.kind === 'advance') {
      clock.advance(command.ms);
    }
    await flushMicrotasks(10); // enough turns for a grant to reach its then-callback through the wrapper
    expect(semaphore.permits).toBeGreaterThanOrEqual(algorithm.min);
    expect(semaphore.permits).toBeLessThanOrEqual(algorithm.max);
    expect(algorithm.limit).toBeGreaterThanOrEqual(algorithm.min);
    expect(algorithm.limit).toBeLessThanOrEqual(algorithm.max);
    expect(semaphore.inUse).toBeLessThanOrEqual(algorithm.max);
    if (grants > grantsBefore) expect(semaphore.inUse).toBeLessThanOrEqual(semaphore.permits);
  }
  for (let round = 0; round < 10_000 && (held.length > 0 || semaphore.waiting > 0); round++) {
    held.shift()?.release();
    await flushMicrotasks(3);
  }
  expect(semaphore.inUse).toBe(0);
  expect(semaphore.waiting).toBe(0);
  expect(settled).toBe(started);
  for (const point of semaphore.snapshot().adaptive!.history) {
    expect(point.limit).toBeGreaterThanOrEqual(algorithm.min);
    expect(point.limit).toBeLessThanOrEqual(algorithm.max);
  }
}

describe('AdaptiveSemaphore under random schedules', () => {
  it('keeps its limit within [min, max] and never grants above the current limit', async () => {
    await fc.assert(
      fc.asyncProperty(algorithmArbitrary, fc.array(commandArbitrary, { minLength: 1, maxLength: 300 }), async (makeAlgorithm, commands) => {
        await check(makeAlgorithm, commands);
      }),
      { numRuns: 200 },
    );
  });
});
