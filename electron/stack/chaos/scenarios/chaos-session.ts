import type { ChaosRun, ChaosTimelineEvent } from '../../../../shared/contract/chaos';
import type { RunSample, RunSummary } from '../../../../shared/contract/stress';
import { sleep } from '../../clock/clock';
import { describeError } from '../../errors';
import type { PreparedFault, ScenarioContext, ScenarioDefinition, ScenarioTiming } from './scenario';
import { judgeScenario } from './verdict';

/** How often the recovery probe asks after the fault ended. */
const PROBE_EVERY_MS = 500;

export interface SessionOutcome {
  /** The stress run's result, or null when the scenario ran alone. */
  readonly summary: RunSummary | null;
  /** Per-second samples of the traffic that ran through the fault. */
  readonly samples: readonly RunSample[];
}

export interface ChaosSessionOptions {
  readonly id: string;
  readonly stressRunId: string | null;
  readonly definition: ScenarioDefinition;
  readonly timing: ScenarioTiming;
  readonly context: ScenarioContext;
  readonly fault: PreparedFault;
  /** Called on every timeline event and with the verdict: the service persists and publishes. */
  readonly onChange: (run: ChaosRun) => void;
}

/**
 * One scenario run on its timeline: wait, inject the fault, hold it, heal it, then probe until the
 * dependency answers again or the recovery bound passes. Every step lands on the timeline with its
 * time. Unhandled promise rejections in the process are counted while it lasts (an experiment should
 * show them, not crash on them). `stop` always heals and disposes, whatever state it is in.
 */
export class ChaosSession {
  private readonly controller = new AbortController();
  private readonly timeline: ChaosTimelineEvent[] = [];
  private readonly startedAt: number;
  private timelineDone: Promise<void> | null = null;
  private injected = false;
  private healed = false;
  private healedAt: number | null = null;
  private recoveryMs: number | null = null;
  private unhandled = 0;
  private lastUnhandled = '';
  private stopped: Promise<void> | null = null;
  private disposed: Promise<void> | null = null;
  private readonly onUnhandled = (reason: unknown): void => {
    this.unhandled += 1;
    this.lastUnhandled = describeError(reason);
    this.options.context.log.error('unhandled promise rejection during a chaos scenario', reason);
  };

  constructor(private readonly options: ChaosSessionOptions) {
    this.startedAt = options.context.clock.now();
    process.on('unhandledRejection', this.onUnhandled);
    options.context.signal.addEventListener('abort', () => this.controller.abort(), { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  describe(): string {
    const { startAfterMs, faultMs, recoveryBoundMs } = this.options.timing;
    const hold = faultMs > 0 ? ` for ${faultMs / 1000} s` : '';
    return `${this.options.definition.title}: fault at ${startAfterMs / 1000} s${hold}, recovery within ${recoveryBoundMs / 1000} s`;
  }

  start(): void {
    this.timelineDone ??= this.runTimeline().catch((error: unknown) => this.event('error', `scenario failed: ${describeError(error)}`));
  }

  /** Resolves when the timeline is over: recovered, not recovered within the bound, or stopped. */
  timelineSettled(): Promise<void> {
    return this.timelineDone ?? Promise.resolve();
  }

  /**
   * Ends the timeline and heals a fault still on. What the scenario set up (a fault proxy the run's
   * clients go through) stays until `finish`: the run still closes its clients through it. Safe to call twice.
   */
  stop(): Promise<void> {
    return (this.stopped ??= (async () => {
      this.controller.abort();
      await this.timelineDone;
      if (this.injected && !this.healed) await this.heal('the run ended while the fault was on; healed now');
      process.off('unhandledRejection', this.onUnhandled);
      this.event('stopped', 'scenario over');
    })());
  }

  /** Removes what the scenario set up; `finish` does it too. Safe to call twice. */
  dispose(): Promise<void> {
    return (this.disposed ??= this.options.fault.dispose().catch((error: unknown) => this.event('error', `clean-up failed: ${describeError(error)}`)));
  }

  /** The verdict: every recovery check, stored and published. Call after the traffic has finished. */
  async finish(outcome: SessionOutcome): Promise<ChaosRun> {
    await this.stop();
    await this.dispose();
    const verdict = await judgeScenario({
      definition: this.options.definition,
      timing: this.options.timing,
      context: this.options.context,
      timeline: this.timeline,
      injected: this.injected,
      healedAt: this.healedAt,
      recoveryMs: this.recoveryMs,
      unhandled: { count: this.unhandled, last: this.lastUnhandled },
      outcome,
    });
    const run: ChaosRun = { ...this.record('running'), ...verdict, endedAt: this.options.context.clock.now() };
    this.options.onChange(run);
    return run;
  }

  record(status: ChaosRun['status'] = 'running'): ChaosRun {
    const { startAfterMs, faultMs, recoveryBoundMs } = this.options.timing;
    return {
      id: this.options.id,
      scenario: this.options.definition.name,
      stressRunId: this.options.stressRunId,
      status,
      startedAt: this.startedAt,
      endedAt: null,
      params: { startAfterS: startAfterMs / 1000, faultS: faultMs / 1000, recoveryBoundS: recoveryBoundMs / 1000 },
      timeline: [...this.timeline],
      recoveryMs: this.recoveryMs,
      checks: [],
      summary: this.describe(),
    };
  }

  private async runTimeline(): Promise<void> {
    const { timing, fault } = this.options;
    this.event('started', this.describe());
    if (!(await this.pause(timing.startAfterMs))) return;
    try {
      const detail = await fault.inject();
      this.injected = true;
      this.event('fault-start', detail);
    } catch (error) {
      this.event('error', `could not inject the fault: ${describeError(error)}`);
      return;
    }
    if (!(await this.pause(timing.faultMs))) return;
    await this.heal();
    const healedAt = this.healedAt ?? this.now();
    let lastProblem = 'no probe answered';
    while (!this.signal.aborted) {
      try {
        await fault.probe(this.signal);
        this.recoveryMs = Math.max(0, this.now() - healedAt);
        this.event('recovered', `answering again ${Math.round(this.recoveryMs)} ms after the fault ended`);
        return;
      } catch (error) {
        lastProblem = describeError(error);
      }
      if (this.now() - healedAt >= timing.recoveryBoundMs) break;
      if (!(await this.pause(PROBE_EVERY_MS))) return;
    }
    if (!this.signal.aborted) this.event('not-recovered', `still failing ${timing.recoveryBoundMs / 1000} s after the fault ended: ${lastProblem}`);
  }

  private async heal(note?: string): Promise<void> {
    if (this.healed) return;
    this.healed = true;
    try {
      const detail = await this.options.fault.heal();
      this.healedAt = this.now();
      this.event('fault-end', note ? `${detail} (${note})` : detail);
    } catch (error) {
      this.event('error', `could not end the fault: ${describeError(error)}`);
    }
  }

  private async pause(ms: number): Promise<boolean> {
    if (ms <= 0) return !this.signal.aborted;
    try {
      await sleep(this.options.context.clock, ms, this.signal);
      return true;
    } catch {
      return false;
    }
  }

  private now(): number {
    return this.options.context.clock.now();
  }

  private event(kind: ChaosTimelineEvent['kind'], detail: string): void {
    const t = this.now();
    this.timeline.push({ t, atMs: Math.round(t - this.startedAt), kind, detail });
    this.options.context.log.info(`chaos ${this.options.definition.name}: ${kind} — ${detail}`);
    this.options.onChange(this.record());
  }
}
