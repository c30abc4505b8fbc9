import type { Stage } from './contract/stress-profile';

/** What a profile's stages add up to: planned arrivals, total length and peak rate. */
export interface PlanTotals {
  readonly plannedRequests: number;
  readonly durationS: number;
  readonly peakRate: number;
}

/** Guards against float noise turning an exact count (60 s × 50/s) into 2999.9999999. */
const EPSILON = 1e-9;

/**
 * The totals of a profile's stages after `--rate` (new peak) and `--duration` (new total length), computed
 * the way the stack's arrival plan counts them: each stage contributes its mean rate × its length, every
 * stage keeps its share of the shape. The panel uses it to describe a run before it starts.
 */
export function planTotals(stages: readonly Stage[], overrides: { rate?: number | undefined; durationS?: number | undefined } = {}): PlanTotals {
  let arrivals = 0;
  let durationS = 0;
  let peakRate = 0;
  for (const stage of stages) {
    const from = stage.executor === 'constant-arrival-rate' ? stage.rate : stage.fromRate;
    const to = stage.executor === 'constant-arrival-rate' ? stage.rate : stage.toRate;
    arrivals += ((from + to) / 2) * stage.durationS;
    durationS += stage.durationS;
    peakRate = Math.max(peakRate, from, to);
  }
  const rateFactor = overrides.rate === undefined || peakRate === 0 ? 1 : overrides.rate / peakRate;
  const timeFactor = overrides.durationS === undefined || durationS === 0 ? 1 : overrides.durationS / durationS;
  return {
    plannedRequests: Math.max(0, Math.ceil(arrivals * rateFactor * timeFactor - EPSILON)),
    durationS: durationS * timeFactor,
    peakRate: peakRate * rateFactor,
  };
}
