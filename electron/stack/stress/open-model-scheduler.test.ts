import { describe, expect, it } from 'vitest';
import { sleep } from '../clock/clock';
import { ManualClock } from '../clock/manual-clock';
import { ArrivalPlan } from './arrival-plan';
import { OpenModelScheduler, type Arrival } from './open-model-scheduler';

function constant(rate: number, durationMs: number): ArrivalPlan {
  return new ArrivalPlan([{ kind: 'constant', durationMs, rate }]);
}

/** Advances the manual clock in small steps, letting promise continuations run, until `done` settles. */
async function drive<T>(clock: ManualClock, done: Promise<T>, stepMs = 1, limitMs = 600_000): Promise<T> {
  let settled = false;
  void done.finally(() => (settled = true));
  for (let spent = 0; !settled && spent < limitMs; spent += stepMs) await clock.advanceAsync(stepMs);
  if (!settled) throw new Error('did not finish');
  return done;
}

describe('OpenModelScheduler', () => {
  it('starts exactly the planned arrivals at their due times, without waiting for responses', async () => {
    const clock = new ManualClock();
    const starts: Arrival[] = [];
    // Every request takes 5 s: a closed model would start only a handful; an open model starts all 200.
    const scheduler = new OpenModelScheduler({
      clock,
      plan: constant(100, 2_000),
      maxInFlight: 10_000,
      tickMs: 2,
      execute: async (arrival) => {
        starts.push(arrival);
        await sleep(clock, 5_000, arrival.signal);
      },
    });
    const result = await drive(clock, scheduler.run());
    expect(result.end).toBe('completed');
    expect(result.counters).toMatchObject({ due: 200, started: 200, dropped: 0, late: 0, settled: 200, inFlight: 0 });
    expect(result.counters.maxInFlightSeen).toBe(200);
    // Achieved arrival rate over the schedule is the target (to the tick).
    const scheduleSeconds = (result.scheduleEndedAt - result.startedAt) / 1000;
    expect(200 / scheduleSeconds).toBeGreaterThan(99);
    expect(200 / scheduleSeconds).toBeLessThanOrEqual(101);
    // Each start is within one tick of its due time; the intended time is the plan's, not the start.
    for (const arrival of starts) {
      expect(arrival.intendedAt).toBe(result.startedAt + arrival.index * 10);
      expect(arrival.startedAt - arrival.intendedAt).toBeGreaterThanOrEqual(0);
      expect(arrival.startedAt - arrival.intendedAt).toBeLessThanOrEqual(2);
    }
  });

  it('counts arrivals that find every slot busy as dropped, and starts the rest', async () => {
    const clock = new ManualClock();
    const dropped: number[] = [];
    const scheduler = new OpenModelScheduler({
      clock,
      plan: constant(50, 1_000),
      maxInFlight: 5,
      execute: (arrival) => sleep(clock, 1_000, arrival.signal),
      onDropped: (index) => dropped.push(index),
    });
    const result = await drive(clock, scheduler.run());
    // Five start in the first 100 ms and hold their slots for the whole second; the other 45 are dropped.
    expect(result.counters).toMatchObject({ due: 50, started: 5, dropped: 45, settled: 5 });
    expect(dropped).toEqual(Array.from({ length: 45 }, (_, i) => i + 5));
  });

  it('catches up after a stall and counts every arrival started too late', async () => {
    const clock = new ManualClock();
    // A clock whose next timer fires 300 ms late once asked: an event-loop stall.
    let stallNextTimer = false;
    const stalling = {
      now: () => clock.now(),
      clearTimeout: (handle: Parameters<ManualClock['clearTimeout']>[0]) => clock.clearTimeout(handle),
      setTimeout: (callback: () => void, ms: number) => {
        const extra = stallNextTimer ? 300 : 0;
        stallNextTimer = false;
        return clock.setTimeout(callback, ms + extra);
      },
    };
    const lags: number[] = [];
    const scheduler = new OpenModelScheduler({
      clock: stalling,
      plan: constant(100, 2_000),
      maxInFlight: 1_000,
      lateAfterMs: 20,
      execute: async (arrival) => void lags.push(arrival.startedAt - arrival.intendedAt),
    });
    const run = scheduler.run();
    await clock.advanceAsync(500);
    stallNextTimer = true;
    const result = await drive(clock, run);
    // Nothing is skipped: the wake-up after the stall starts everything that fell due during it.
    expect(result.counters.started).toBe(200);
    const late = lags.filter((lag) => lag > 20).length;
    expect(result.counters.late).toBe(late);
    expect(late).toBeGreaterThanOrEqual(27);
    expect(late).toBeLessThanOrEqual(31);
    expect(Math.max(...lags)).toBeGreaterThanOrEqual(290);
    expect(scheduler.startLag.summary().max).toBeGreaterThanOrEqual(290);
  });

  it('stop() starts nothing more and aborts in-flight work, which settles', async () => {
    const clock = new ManualClock();
    const aborted: number[] = [];
    const scheduler = new OpenModelScheduler({
      clock,
      plan: constant(20, 10_000),
      maxInFlight: 100,
      execute: async (arrival) => {
        try {
          await sleep(clock, 60_000, arrival.signal);
        } catch {
          aborted.push(arrival.index);
        }
      },
    });
    const controller = new AbortController();
    const run = scheduler.run(controller.signal);
    await clock.advanceAsync(1_000);
    controller.abort();
    const result = await drive(clock, run);
    expect(result.end).toBe('stopped');
    expect(result.counters.started).toBe(21);
    expect(result.aborted).toBe(21);
    expect(result.abandoned).toBe(0);
    expect(aborted).toHaveLength(21);
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives in-flight work the graceful stop period, then aborts it', async () => {
    const clock = new ManualClock();
    let finished = 0;
    const scheduler = new OpenModelScheduler({
      clock,
      plan: constant(10, 1_000),
      maxInFlight: 100,
      gracefulStopMs: 2_000,
      execute: async (arrival) => {
        await sleep(clock, arrival.index < 5 ? 1_500 : 30_000, arrival.signal).catch(() => undefined);
        if (!arrival.signal.aborted) finished += 1;
      },
    });
    const result = await drive(clock, scheduler.run());
    expect(result.end).toBe('completed');
    expect(finished).toBe(5);
    expect(result.aborted).toBe(5);
    expect(result.endedAt - result.scheduleEndedAt).toBeGreaterThanOrEqual(2_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports work that ignores its abort signal as abandoned instead of hanging', async () => {
    const clock = new ManualClock();
    const scheduler = new OpenModelScheduler({
      clock,
      plan: constant(1, 1_000),
      maxInFlight: 10,
      gracefulStopMs: 100,
      abandonAfterMs: 100,
      execute: () => new Promise<void>(() => undefined),
    });
    const result = await drive(clock, scheduler.run());
    expect(result.abandoned).toBe(1);
  });

  it('wakes up per batch, not per arrival: about one timer per tick at high rates', async () => {
    const clock = new ManualClock();
    let timers = 0;
    const counting = Object.assign(Object.create(clock) as ManualClock, {
      setTimeout: (callback: () => void, ms: number) => {
        timers += 1;
        return clock.setTimeout(callback, ms);
      },
    });
    const scheduler = new OpenModelScheduler({ clock: counting, plan: constant(2_000, 1_000), maxInFlight: 10_000, tickMs: 2, execute: async () => undefined });
    const result = await drive(clock, scheduler.run());
    expect(result.counters.started).toBe(2_000);
    expect(timers).toBeLessThanOrEqual(510);
  });
});
