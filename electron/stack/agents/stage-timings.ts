import { HdrLatency } from '../stress/hdr-latency';
import type { StageName } from '../stress/workload';

const STAGES: readonly StageName[] = ['semaphore_wait', 'limiter_wait', 'pool_acquire', 'query', 'provider', 'total'];

/**
 * Per-stage timings of agent requests (semaphore wait, limiter wait, pool acquire, query, provider,
 * total): a run-long HDR histogram and a current-second one per stage. Fixed memory, whatever the load.
 */
export class StageTimings {
  private readonly total = new Map<StageName, HdrLatency>();
  private readonly second = new Map<StageName, HdrLatency>();

  constructor() {
    for (const stage of STAGES) {
      this.total.set(stage, new HdrLatency(2));
      this.second.set(stage, new HdrLatency(2));
    }
  }

  record(stage: StageName, ms: number): void {
    this.total.get(stage)!.recordMs(ms);
    this.second.get(stage)!.recordMs(ms);
  }

  /** The run-long histogram of a stage; null when nothing was recorded for it. */
  stage(name: StageName): HdrLatency | null {
    const h = this.total.get(name)!;
    return h.count === 0 ? null : h;
  }

  /** The current second's percentile of a stage (null if nothing was recorded), then starts a new second. */
  takeSecond(): Record<StageName, { p95: number; p99: number } | null> {
    const out = {} as Record<StageName, { p95: number; p99: number } | null>;
    for (const [stage, h] of this.second) {
      out[stage] = h.count === 0 ? null : { p95: round(h.percentileMs(95)), p99: round(h.percentileMs(99)) };
      h.reset();
    }
    return out;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
