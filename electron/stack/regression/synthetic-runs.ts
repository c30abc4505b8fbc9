import type { RunWindow, RunWindows } from '../../../shared/contract/regression';
import { createRandom, type Random } from '../providers/simulator/prng';
import { quantileSorted } from './sample-stats';

/**
 * Synthetic stress runs for calibrating the regression gate: per-request latencies drawn from a
 * log-normal distribution, with the two kinds of noise a shared laptop or CI runner adds — a drift
 * that shifts a whole run (another job started) and a wobble per measurement window (GC, neighbours).
 */
export interface SyntheticRunModel {
  windows: number;
  windowMs: number;
  /** Arrival rate, requests per second (open model: throughput follows it). */
  ratePerSec: number;
  /** Median request latency in ms before any slowdown. */
  medianLatencyMs: number;
  /** Log-normal shape of one request's latency. */
  latencySigma: number;
  /** Standard deviation of the whole-run multiplicative drift, e.g. 0.02 = ±2 %. */
  runDrift: number;
  /** Standard deviation of the per-window multiplicative wobble. */
  windowWobble: number;
  errorRate: number;
  /** Multiplies every latency: 1.2 = a 20 % slowdown. */
  slowdown: number;
}

export const DEFAULT_SYNTHETIC_MODEL: SyntheticRunModel = {
  windows: 20,
  windowMs: 3000,
  ratePerSec: 40,
  medianLatencyMs: 50,
  latencySigma: 0.5,
  runDrift: 0.02,
  windowWobble: 0.05,
  errorRate: 0.005,
  slowdown: 1,
};

export function syntheticRun(seed: number, overrides: Partial<SyntheticRunModel> = {}): RunWindows {
  const model = { ...DEFAULT_SYNTHETIC_MODEL, ...overrides };
  const random = createRandom(seed);
  const runFactor = Math.exp(model.runDrift * gaussian(random));
  const windows: RunWindow[] = [];
  const windowSec = model.windowMs / 1000;
  for (let w = 0; w < model.windows; w++) {
    const windowFactor = Math.exp(model.windowWobble * gaussian(random));
    const expected = model.ratePerSec * windowSec;
    const count = Math.max(1, Math.round(expected + Math.sqrt(expected) * gaussian(random)));
    const latencies: number[] = [];
    let failed = 0;
    for (let i = 0; i < count; i++) {
      if (random.next() < model.errorRate) {
        failed++;
        continue;
      }
      const latency = model.medianLatencyMs * Math.exp(model.latencySigma * gaussian(random)) * runFactor * windowFactor * model.slowdown;
      latencies.push(latency);
    }
    latencies.sort((a, b) => a - b);
    windows.push({
      startMs: w * model.windowMs,
      throughput: latencies.length / windowSec,
      p50: quantileSorted(latencies, 0.5),
      p95: quantileSorted(latencies, 0.95),
      p99: quantileSorted(latencies, 0.99),
      errorRate: failed / count,
      requests: count,
    });
  }
  return { windowMs: model.windowMs, windows };
}

/** Standard normal by Box–Muller. */
function gaussian(random: Random): number {
  const u = Math.max(Number.MIN_VALUE, random.next());
  const v = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
