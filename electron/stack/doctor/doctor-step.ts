import type { DoctorStepId, DoctorStepStatus } from '../../../shared/contract/doctor';
import type { DoctorContext } from './doctor-context';

/** What a step found. `evidence` lines follow the detail line in the report. */
export interface StepOutcome {
  readonly status: DoctorStepStatus;
  readonly detail: string;
  readonly evidence?: readonly string[];
  readonly remedy?: string;
  readonly code?: string;
  /**
   * A failed step blocks the steps after it (they are reported as skipped) unless it says otherwise:
   * a missing privilege does not make the pool check meaningless.
   */
  readonly blocking?: boolean;
}

/** What every doctor's context carries: whatever a step opened, closed by the runner in `finally`. */
export interface StepContext {
  readonly cleanups: (() => Promise<void>)[];
}

/** One step of a doctor; `C` is what that doctor's steps learn and share (the database's DoctorContext by default). */
export interface DoctorStepDefinition<C extends StepContext = DoctorContext> {
  readonly id: DoctorStepId;
  readonly title: string;
  /** The step's own deadline; past it the step fails with code TIMEOUT. */
  readonly deadlineMs: number;
  run(context: C, signal: AbortSignal): Promise<StepOutcome>;
  /** What to tell the user when the deadline passes. */
  timeoutRemedy?(context: C): string;
}

export const pass = (detail: string, evidence?: readonly string[]): StepOutcome => ({ status: 'pass', detail, ...(evidence ? { evidence } : {}) });
export const warn = (detail: string, remedy: string, code?: string, evidence?: readonly string[]): StepOutcome => ({ status: 'warn', detail, remedy, ...(code ? { code } : {}), ...(evidence ? { evidence } : {}) });
export const fail = (detail: string, remedy: string, code: string, evidence?: readonly string[], blocking = true): StepOutcome => ({ status: 'fail', detail, remedy, code, blocking, ...(evidence ? { evidence } : {}) });
export const skip = (detail: string, evidence?: readonly string[]): StepOutcome => ({ status: 'skip', detail, ...(evidence ? { evidence } : {}) });
