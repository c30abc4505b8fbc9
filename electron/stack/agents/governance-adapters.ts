import type { Clock } from '../clock/clock';
import type { Semaphore } from '../concurrency/semaphore';
import type { ProviderGovernor } from '../providers/call-pipeline';
import type { AgentGate } from './agent-workload';
import type { StageTimings } from './stage-timings';

/** The governed gate: the agent semaphore, its wait timed as `semaphore_wait`. */
export function semaphoreGate(semaphore: Semaphore, options: { clock: Clock; timings: StageTimings; waitTimeoutMs: number }): AgentGate {
  return {
    async enter(label, signal) {
      const started = options.clock.now();
      const permit = await semaphore.acquire({ signal, label, timeoutMs: options.waitTimeoutMs });
      options.timings.record('semaphore_wait', options.clock.now() - started);
      return () => permit.release();
    },
    close: () => semaphore.close(),
  };
}

/** Times a provider limiter's admission as `limiter_wait` (each HTTP attempt waits once). */
export function timedGovernor(governor: ProviderGovernor, clock: Clock, timings: StageTimings): ProviderGovernor {
  return {
    async acquire(estimate, signal) {
      const started = clock.now();
      try {
        return await governor.acquire(estimate, signal);
      } finally {
        timings.record('limiter_wait', clock.now() - started);
      }
    },
  };
}
