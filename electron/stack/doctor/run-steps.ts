import type { DoctorProgress, DoctorStep } from '../../../shared/contract/doctor';
import { maskSecretAssignments } from '../db/config/mask';
import { classifyPgError } from '../db/pg-error';
import { redact } from '../log/redact';
import type { DoctorStepDefinition, StepContext, StepOutcome } from './doctor-step';

export interface RunStepsOptions {
  signal?: AbortSignal | undefined;
  /** Each step as it starts and ends: the Doctor page and a TTY show them live. */
  onProgress?: ((event: DoctorProgress) => void) | undefined;
  runId: string;
}

/**
 * Runs any doctor's steps in order, each under its own deadline. A failed step that blocks makes every
 * later step `skip`, naming the step and code that stopped it, so a report always lists all steps.
 * Whatever a step opened (a session, a socket, a server started for the check) is closed in `finally`.
 * The database, Redis and provider doctors share this loop; each brings its own steps and context.
 */
export async function runSteps<C extends StepContext>(steps: readonly DoctorStepDefinition<C>[], context: C, options: RunStepsOptions): Promise<DoctorStep[]> {
  const { runId } = options;
  const results: DoctorStep[] = [];
  const emit = (event: DoctorProgress): void => {
    try {
      options.onProgress?.(event);
    } catch {
      // a broken progress listener must not break the diagnosis
    }
  };
  emit({ phase: 'started', runId, target: '(resolving)', steps: steps.map((step) => ({ id: step.id, title: step.title })) });
  let blockedBy: { id: string; code: string | undefined } | null = null;
  try {
    for (const [index, step] of steps.entries()) {
      let outcome: StepOutcome;
      let ms = 0;
      if (options.signal?.aborted) {
        outcome = { status: 'skip', detail: 'skipped: the diagnosis was cancelled' };
      } else if (blockedBy) {
        outcome = { status: 'skip', detail: `skipped: the ${blockedBy.id} step failed${blockedBy.code ? ` (${blockedBy.code})` : ''}` };
      } else {
        emit({ phase: 'running', runId, id: step.id });
        const started = performance.now();
        outcome = await runStep(step, context, options.signal);
        ms = Math.round((performance.now() - started) * 10) / 10;
        if (outcome.status === 'fail' && outcome.blocking !== false) blockedBy = { id: step.id, code: outcome.code };
      }
      const result = toReportStep(step, outcome, ms);
      results.push(result);
      emit({ phase: 'step', runId, index, step: result });
    }
  } finally {
    for (const cleanup of context.cleanups.reverse()) await cleanup().catch(() => undefined);
  }
  return results;
}

async function runStep<C extends StepContext>(step: DoctorStepDefinition<C>, context: C, outer: AbortSignal | undefined): Promise<StepOutcome> {
  const deadline = new AbortController();
  const signal = outer ? AbortSignal.any([outer, deadline.signal]) : deadline.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<StepOutcome>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort(new Error(`${step.id} deadline`));
      resolve({
        status: 'fail',
        code: 'TIMEOUT',
        detail: `no answer within ${step.deadlineMs} ms`,
        remedy: step.timeoutRemedy?.(context) ?? 'Something on the path drops packets instead of refusing them: check firewalls, security groups and VPNs between this machine and the server.',
      });
    }, step.deadlineMs);
  });
  try {
    // The race also covers work that ignores the signal (dns.lookup cannot be cancelled).
    return await Promise.race([step.run(context, signal), timedOut]);
  } catch (error) {
    const info = classifyPgError(error);
    return { status: 'fail', code: info.code, detail: `the check itself failed: ${info.message}`, remedy: 'This looks like a Bulkhead bug; the evidence above says what was known so far.' };
  } finally {
    clearTimeout(timer);
  }
}

function toReportStep<C extends StepContext>(step: DoctorStepDefinition<C>, outcome: StepOutcome, ms: number): DoctorStep {
  const detail = [outcome.detail, ...(outcome.evidence ?? [])].join('\n');
  return {
    id: step.id,
    title: step.title,
    status: outcome.status,
    detail: maskSecretAssignments(redact(detail)),
    ...(outcome.remedy ? { remedy: maskSecretAssignments(redact(outcome.remedy)) } : {}),
    ...(outcome.code ? { code: outcome.code } : {}),
    ms,
  };
}
