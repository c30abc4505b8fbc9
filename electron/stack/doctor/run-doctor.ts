import type { DoctorProgress, DoctorReport } from '../../../shared/contract/doctor';
import { maskUrl } from '../db/config/mask';
import { redact } from '../log/redact';
import type { DoctorContext, DoctorInput } from './doctor-context';
import type { DoctorStepDefinition } from './doctor-step';
import { runSteps } from './run-steps';
import { doctorSteps } from './steps';

export interface RunDoctorOptions {
  signal?: AbortSignal;
  /** Each step as it starts and ends: the Doctor page and a TTY show them live. */
  onProgress?: (event: DoctorProgress) => void;
  runId?: string;
  steps?: readonly DoctorStepDefinition[];
}

/**
 * The database doctor: runs its steps in order (runSteps: deadlines, skips after a blocking failure,
 * cleanups in `finally`) and reports the target with its password masked.
 */
export async function runDoctor(input: DoctorInput, options: RunDoctorOptions = {}): Promise<DoctorReport> {
  const context: DoctorContext = { input, cleanups: [] };
  const results = await runSteps(options.steps ?? doctorSteps, context, {
    runId: options.runId ?? `doctor-${Math.round(input.clock.now())}`,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  return { ok: results.every((step) => step.status !== 'fail'), target: redact(maskUrl(context.target ?? '(not resolved)')), steps: results };
}
