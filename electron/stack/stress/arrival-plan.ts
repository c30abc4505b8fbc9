/**
 * When each request of an open-model run is due. A plan is a list of stages, each either a constant
 * arrival rate or a linear ramp between two rates (k6's constant-arrival-rate and ramping-arrival-rate).
 *
 * The cumulative number of arrivals N(t) is the integral of the rate; arrival k (0-based) is due at the
 * t where N(t) = k. Both directions are closed-form, so the scheduler can ask "how many are due by now?"
 * and "when was arrival k due?" in O(stages) without keeping a list of arrival times.
 */

export type PlanStage =
  | { readonly kind: 'constant'; readonly durationMs: number; readonly rate: number }
  | { readonly kind: 'ramping'; readonly durationMs: number; readonly fromRate: number; readonly toRate: number };

interface PreparedStage {
  readonly startMs: number;
  readonly durationMs: number;
  readonly fromRate: number;
  readonly toRate: number;
  /** Arrivals before this stage (fractional). */
  readonly arrivalsBefore: number;
  /** Arrivals within this stage (fractional). */
  readonly arrivals: number;
}

/** Guards against float noise turning an exact count (60 s × 50/s) into 2999.9999999. */
const EPSILON = 1e-9;

export class ArrivalPlan {
  readonly stages: readonly PlanStage[];
  readonly durationMs: number;
  /** How many requests the plan starts, in total. */
  readonly plannedArrivals: number;
  /** The highest rate any stage reaches (requests per second). */
  readonly peakRate: number;
  private readonly prepared: readonly PreparedStage[];
  private readonly firstDueMs: number;

  constructor(stages: readonly PlanStage[]) {
    if (stages.length === 0) throw new RangeError('an arrival plan needs at least one stage');
    let startMs = 0;
    let arrivalsBefore = 0;
    const prepared: PreparedStage[] = [];
    for (const stage of stages) {
      const fromRate = stage.kind === 'constant' ? stage.rate : stage.fromRate;
      const toRate = stage.kind === 'constant' ? stage.rate : stage.toRate;
      for (const value of [stage.durationMs, fromRate, toRate]) {
        if (!Number.isFinite(value) || value < 0) throw new RangeError(`stage values must be finite and non-negative, got ${value}`);
      }
      const arrivals = ((fromRate + toRate) / 2) * (stage.durationMs / 1000);
      prepared.push({ startMs, durationMs: stage.durationMs, fromRate, toRate, arrivalsBefore, arrivals });
      startMs += stage.durationMs;
      arrivalsBefore += arrivals;
    }
    this.stages = stages;
    this.prepared = prepared;
    this.durationMs = startMs;
    this.plannedArrivals = Math.max(0, Math.ceil(arrivalsBefore - EPSILON));
    this.peakRate = Math.max(...prepared.flatMap((s) => [s.fromRate, s.toRate]));
    this.firstDueMs = firstArrivalMs(prepared);
  }

  /** Mean target rate over the whole plan (requests per second). */
  get meanRate(): number {
    return this.durationMs === 0 ? 0 : this.plannedArrivals / (this.durationMs / 1000);
  }

  /** The target arrival rate at `elapsedMs` into the run. */
  rateAt(elapsedMs: number): number {
    const stage = this.stageAt(elapsedMs);
    if (!stage) return 0;
    if (stage.durationMs === 0) return stage.toRate;
    const f = (elapsedMs - stage.startMs) / stage.durationMs;
    return stage.fromRate + (stage.toRate - stage.fromRate) * f;
  }

  /** Cumulative (fractional) arrivals N(t) at `elapsedMs`. */
  cumulativeAt(elapsedMs: number): number {
    if (elapsedMs <= 0) return 0;
    if (elapsedMs >= this.durationMs) return this.prepared.reduce((sum, s) => sum + s.arrivals, 0);
    const stage = this.stageAt(elapsedMs)!;
    const t = (elapsedMs - stage.startMs) / 1000;
    const d = stage.durationMs / 1000;
    const slope = d === 0 ? 0 : (stage.toRate - stage.fromRate) / d;
    return stage.arrivalsBefore + stage.fromRate * t + (slope * t * t) / 2;
  }

  /** How many arrivals are due at or before `elapsedMs` (arrival k is due when N(t) reaches k). */
  dueBy(elapsedMs: number): number {
    if (this.plannedArrivals === 0 || elapsedMs < this.firstDueMs) return 0;
    return Math.min(this.plannedArrivals, Math.floor(this.cumulativeAt(elapsedMs) + EPSILON) + 1);
  }

  /** When arrival `k` (0-based) is due, in ms after the run's start. */
  dueAtMs(k: number): number {
    if (k <= 0) return this.firstDueMs;
    for (const stage of this.prepared) {
      if (k > stage.arrivalsBefore + stage.arrivals + EPSILON) continue;
      const m = Math.max(0, k - stage.arrivalsBefore);
      const d = stage.durationMs / 1000;
      const a = stage.fromRate;
      const c = d === 0 ? 0 : (stage.toRate - stage.fromRate) / (2 * d);
      // Solve a·t + c·t² = m; this form stays exact when c is 0 and stable when c is negative.
      const root = Math.sqrt(Math.max(0, a * a + 4 * c * m));
      const denominator = a + root;
      const t = denominator === 0 ? 0 : (2 * m) / denominator;
      return stage.startMs + Math.min(stage.durationMs, t * 1000);
    }
    return this.durationMs;
  }

  /** A plan whose peak rate is `peakRate`, every stage scaled by the same factor. */
  withPeakRate(peakRate: number): ArrivalPlan {
    const factor = this.peakRate === 0 ? 0 : peakRate / this.peakRate;
    return new ArrivalPlan(
      this.stages.map((s) =>
        s.kind === 'constant' ? { ...s, rate: s.rate * factor } : { ...s, fromRate: s.fromRate * factor, toRate: s.toRate * factor },
      ),
    );
  }

  /** A plan lasting `durationMs`, every stage stretched or shrunk by the same factor. */
  withDuration(durationMs: number): ArrivalPlan {
    const factor = this.durationMs === 0 ? 0 : durationMs / this.durationMs;
    return new ArrivalPlan(this.stages.map((s) => ({ ...s, durationMs: s.durationMs * factor })));
  }

  private stageAt(elapsedMs: number): PreparedStage | undefined {
    if (elapsedMs < 0 || elapsedMs >= this.durationMs) return undefined;
    for (const stage of this.prepared) {
      if (elapsedMs < stage.startMs + stage.durationMs) return stage;
    }
    return undefined;
  }
}

/** A leading stage at rate 0 means the first arrival comes when the rate first rises. */
function firstArrivalMs(stages: readonly PreparedStage[]): number {
  for (const stage of stages) {
    if (stage.fromRate > 0 || stage.arrivals > 0) return stage.startMs;
  }
  return 0;
}
