import { setMaxListeners } from 'node:events';
import type { Clock, TimerHandle } from '../clock/clock';
import type { ArrivalPlan } from './arrival-plan';
import { HdrLatency } from './hdr-latency';

/** One request the scheduler starts. */
export interface Arrival {
  /** 0-based position in the plan. */
  readonly index: number;
  /** When the plan wanted it to start (clock ms): latency is measured from here, not from `startedAt`. */
  readonly intendedAt: number;
  readonly startedAt: number;
  /** Aborted when the run is stopped, or when in-flight work outlives the graceful stop. */
  readonly signal: AbortSignal;
}

export interface SchedulerOptions {
  clock: Clock;
  plan: ArrivalPlan;
  /** At most this many requests in flight (k6's maxVUs); an arrival that finds none free is dropped. */
  maxInFlight: number;
  /** Smallest wait between two wake-ups; arrivals due in between start together. Default 2 ms. */
  tickMs?: number;
  /** An arrival that starts more than this after it was due counts as late. Default 20 ms. */
  lateAfterMs?: number;
  /** After the last arrival, in-flight work gets this long before it is aborted. Default 10 s. */
  gracefulStopMs?: number;
  /** After aborting, give up waiting for work that ignores its signal after this long. Default 5 s. */
  abandonAfterMs?: number;
  /** Runs one request. Its rejection is the caller's business (the scheduler only counts settling). */
  execute: (arrival: Arrival) => Promise<void>;
  onDropped?: (index: number, intendedAt: number) => void;
}

export interface SchedulerCounters {
  /** Arrivals whose due time has passed (started + dropped). */
  due: number;
  started: number;
  dropped: number;
  late: number;
  inFlight: number;
  maxInFlightSeen: number;
  settled: number;
}

export type SchedulerEnd = 'completed' | 'stopped';

export interface SchedulerResult {
  end: SchedulerEnd;
  startedAt: number;
  /** When the last arrival was dealt with (started or dropped), or when the run was stopped. */
  scheduleEndedAt: number;
  endedAt: number;
  counters: SchedulerCounters;
  /** In-flight requests aborted because they outlived the graceful stop, or by a stop. */
  aborted: number;
  /** Requests that ignored their abort signal for `abandonAfterMs`; they are not waited for. */
  abandoned: number;
}

/**
 * The open-model arrival scheduler: requests start when the plan says, whether or not earlier ones have
 * answered (k6's arrival-rate executors; wrk2's constant throughput). It wakes at most every `tickMs`,
 * starts every arrival that fell due since the last wake-up, and sleeps until the next one is due — so
 * at 2,000/s it handles a few arrivals per wake-up instead of arming a timer per request, and a wake-up
 * that comes late (event-loop stall) catches up instead of silently lowering the rate. Each arrival
 * carries its intended start, so latency includes the time it waited to be started (no coordinated
 * omission); starts later than `lateAfterMs` are counted as late, and arrivals that find `maxInFlight`
 * requests running are counted as dropped — both are reported, never hidden.
 */
export class OpenModelScheduler {
  private readonly clock: Clock;
  private readonly plan: ArrivalPlan;
  private readonly maxInFlight: number;
  private readonly tickMs: number;
  private readonly lateAfterMs: number;
  private readonly gracefulStopMs: number;
  private readonly abandonAfterMs: number;
  private readonly inFlightAbort = new AbortController();
  /** How late arrivals started relative to their due time (ms). */
  readonly startLag = new HdrLatency(2);
  private readonly stats: SchedulerCounters = { due: 0, started: 0, dropped: 0, late: 0, inFlight: 0, maxInFlightSeen: 0, settled: 0 };
  private timer: TimerHandle | null = null;
  private startAt = 0;
  private scheduleEndedAt = 0;
  private abortedInFlight = 0;
  private running = false;
  private stopRequested = false;
  private onIdle: (() => void) | null = null;
  private onScheduleDone: (() => void) | null = null;
  private onStopWhileDraining: (() => void) | null = null;

  constructor(private readonly options: SchedulerOptions) {
    if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a positive whole number, got ${options.maxInFlight}`);
    }
    this.clock = options.clock;
    this.plan = options.plan;
    this.maxInFlight = options.maxInFlight;
    this.tickMs = Math.max(1, options.tickMs ?? 2);
    this.lateAfterMs = options.lateAfterMs ?? 20;
    this.gracefulStopMs = options.gracefulStopMs ?? 10_000;
    this.abandonAfterMs = options.abandonAfterMs ?? 5_000;
    // Every in-flight request listens on this one signal: thousands of listeners are the design, not a leak.
    setMaxListeners(0, this.inFlightAbort.signal);
  }

  get counters(): Readonly<SchedulerCounters> {
    return this.stats;
  }

  /** Clock ms the run started at (0 before `run`). */
  get startedAt(): number {
    return this.startAt;
  }

  /** Runs the whole plan; resolves once nothing it started is still running. Abort `signal` to stop early. */
  async run(signal?: AbortSignal): Promise<SchedulerResult> {
    if (this.running || this.startAt !== 0) throw new Error('an OpenModelScheduler runs once');
    this.running = true;
    this.startAt = this.clock.now();
    const onAbort = (): void => this.stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) this.stop();
      else {
        await new Promise<void>((resolve) => {
          this.onScheduleDone = resolve;
          this.tick();
        });
      }
      if (!this.stopRequested) await this.waitForInFlight(this.gracefulStopMs);
      if (this.stats.inFlight > 0) {
        this.abortedInFlight = this.stats.inFlight;
        this.inFlightAbort.abort(new Error(this.stopRequested ? 'stress run stopped' : 'graceful stop period ended'));
        await this.waitForInFlight(this.abandonAfterMs);
      }
      return {
        end: this.stopRequested ? 'stopped' : 'completed',
        startedAt: this.startAt,
        scheduleEndedAt: this.scheduleEndedAt,
        endedAt: this.clock.now(),
        counters: { ...this.stats },
        aborted: this.abortedInFlight,
        abandoned: this.stats.inFlight,
      };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.clearTimer();
      this.running = false;
    }
  }

  /** Stops starting new arrivals and aborts what is in flight; `run` then resolves once it settled. */
  stop(): void {
    if (this.stopRequested || !this.running) return;
    this.stopRequested = true;
    this.clearTimer();
    if (this.scheduleEndedAt === 0) this.scheduleEndedAt = this.clock.now();
    this.finishSchedule();
    // A stop while draining aborts the rest at once instead of waiting out the graceful period.
    this.onStopWhileDraining?.();
  }

  private tick(): void {
    this.timer = null;
    if (this.stopRequested) return;
    const due = this.plan.dueBy(this.clock.now() - this.startAt);
    while (this.stats.due < due && !this.stopRequested) this.launch(this.stats.due);
    if (this.stopRequested) return;
    if (this.stats.due >= this.plan.plannedArrivals) {
      this.scheduleEndedAt = this.clock.now();
      this.finishSchedule();
      return;
    }
    const nextDueAt = this.startAt + this.plan.dueAtMs(this.stats.due);
    const wait = Math.max(this.tickMs, Math.ceil(nextDueAt - this.clock.now()));
    this.timer = this.clock.setTimeout(() => this.tick(), wait);
  }

  private launch(index: number): void {
    const intendedAt = this.startAt + this.plan.dueAtMs(index);
    this.stats.due += 1;
    if (this.stats.inFlight >= this.maxInFlight) {
      this.stats.dropped += 1;
      this.options.onDropped?.(index, intendedAt);
      return;
    }
    const now = this.clock.now();
    const lag = now - intendedAt;
    this.startLag.recordMs(lag > 0 ? lag : 0);
    if (lag > this.lateAfterMs) this.stats.late += 1;
    this.stats.started += 1;
    this.stats.inFlight += 1;
    if (this.stats.inFlight > this.stats.maxInFlightSeen) this.stats.maxInFlightSeen = this.stats.inFlight;
    let settledOnce = false;
    const settle = (): void => {
      if (settledOnce) return;
      settledOnce = true;
      this.stats.inFlight -= 1;
      this.stats.settled += 1;
      if (this.stats.inFlight === 0) this.onIdle?.();
    };
    let work: Promise<void>;
    try {
      work = this.options.execute({ index, intendedAt, startedAt: now, signal: this.inFlightAbort.signal });
    } catch {
      settle();
      return;
    }
    work.then(settle, settle);
  }

  private finishSchedule(): void {
    const done = this.onScheduleDone;
    this.onScheduleDone = null;
    done?.();
  }

  /** Resolves when nothing is in flight, after `limitMs`, or (while draining) when the run is stopped. */
  private waitForInFlight(limitMs: number): Promise<void> {
    if (this.stats.inFlight === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        this.clock.clearTimeout(timer);
        this.onIdle = null;
        this.onStopWhileDraining = null;
        resolve();
      };
      const timer = this.clock.setTimeout(finish, limitMs);
      this.onIdle = finish;
      if (!this.stopRequested) this.onStopWhileDraining = finish;
    });
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
