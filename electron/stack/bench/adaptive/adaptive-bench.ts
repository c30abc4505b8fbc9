import { AimdAlgorithm } from '../../concurrency/adaptive/aimd';
import { GradientAlgorithm } from '../../concurrency/adaptive/gradient';
import { runScenario, type Policy, type Scenario, type ScenarioResult } from './adaptive-scenario';

/**
 * The adaptive-vs-fixed comparison: one load, one provider whose capacity halves half-way, a sweep of
 * fixed limits and the adaptive algorithms (which are told only min 1 and max 200), all in one run.
 *
 * The provider: 200 ms ± 10 % per call up to 32 in flight; past that each extra 16 in flight add 2×
 * the base latency (throughput falls past the knee), and at 64 in flight it refuses with 503. At 30 s
 * the capacity halves (knee 16, cliff 32). Load: 150 calls/s, Poisson, for 60 s; a caller waits at
 * most 2 s for a permit. The knee can serve 160/s before the drop and 80/s after it.
 */
export const DROP_SCENARIO: Scenario = {
  durationMs: 60_000,
  arrivalsPerSecond: 150,
  baseLatencyMs: 200,
  jitter: 0.1,
  refusalMs: 10,
  queueTimeoutMs: 2000,
  congestion: { enabled: true, knee: 32, slope: 2, cliff: 64, capacityChanges: [{ atMs: 30_000, factor: 0.5 }] },
  dropAtMs: 30_000,
  seed: 1,
};

export const FIXED_LIMITS = [8, 16, 24, 32, 40, 48, 64] as const;

export function adaptivePolicies(): Policy[] {
  return [
    { kind: 'adaptive', label: 'adaptive gradient', algorithm: () => new GradientAlgorithm({ min: 1, max: 200 }) },
    { kind: 'adaptive', label: 'adaptive gradient (tolerance 1.5)', algorithm: () => new GradientAlgorithm({ min: 1, max: 200, rttTolerance: 1.5 }) },
    { kind: 'adaptive', label: 'adaptive AIMD', algorithm: () => new AimdAlgorithm({ min: 1, max: 200 }) },
  ];
}

export interface AdaptiveBenchReport {
  scenario: Scenario;
  rows: ScenarioResult[];
  /** The fixed limit with the highest goodput over the whole run, and those best before the drop. */
  bestFixed: string;
  bestFixedBeforeDrop: string[];
  goals: { policy: string; goodputVsBestFixed: number; goodputWithin10Percent: boolean; lowerP99AfterDropThanBestBefore: boolean }[];
}

export async function runAdaptiveBench(scenario: Scenario = DROP_SCENARIO, signal?: AbortSignal): Promise<AdaptiveBenchReport> {
  const policies: Policy[] = [...FIXED_LIMITS.map((limit): Policy => ({ kind: 'fixed', limit })), ...adaptivePolicies()];
  const rows: ScenarioResult[] = [];
  for (const policy of policies) {
    signal?.throwIfAborted();
    rows.push(await runScenario(scenario, policy));
  }
  const fixed = rows.filter((row) => row.policy.startsWith('fixed'));
  const best = fixed.reduce((a, b) => (b.goodput > a.goodput ? b : a));
  const bestBeforeGoodput = Math.max(...fixed.map((row) => row.goodputBeforeDrop));
  // Ties within 1 % count as best too: with noise, either could have been the one chosen.
  const bestBefore = fixed.filter((row) => row.goodputBeforeDrop >= bestBeforeGoodput * 0.99);
  const goals = rows
    .filter((row) => !row.policy.startsWith('fixed'))
    .map((row) => ({
      policy: row.policy,
      goodputVsBestFixed: Math.round((row.goodput / best.goodput) * 1000) / 1000,
      goodputWithin10Percent: row.goodput >= best.goodput * 0.9,
      lowerP99AfterDropThanBestBefore: bestBefore.every((fixedRow) => row.callP99AfterMs < fixedRow.callP99AfterMs),
    }));
  return { scenario, rows, bestFixed: best.policy, bestFixedBeforeDrop: bestBefore.map((row) => row.policy), goals };
}

/** A Markdown table (pastes into the README) and the goal lines under it. */
export function formatAdaptiveBench(report: AdaptiveBenchReport): string {
  const lines = [
    '| policy | goodput/s (whole run) | before drop | after drop | call p99 after drop | end-to-end p99 after drop | 503s | shed (waited 2 s) | mean limit before → after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...report.rows.map(
      (r) =>
        `| ${r.policy} | ${r.goodput} | ${r.goodputBeforeDrop} | ${r.goodputAfterDrop} | ${r.callP99AfterMs} ms | ${r.endToEndP99AfterMs} ms | ${r.overloaded} | ${r.shed} | ${r.meanLimitBefore} → ${r.meanLimitAfter} |`,
    ),
    '',
    `Best fixed limit over the run: ${report.bestFixed}; best before the drop: ${report.bestFixedBeforeDrop.join(', ')}.`,
    ...report.goals.map(
      (g) =>
        `${g.policy}: goodput ${(g.goodputVsBestFixed * 100).toFixed(1)} % of the best fixed (${g.goodputWithin10Percent ? 'within' : 'NOT within'} 10 %); ` +
        `call p99 after the drop ${g.lowerP99AfterDropThanBestBefore ? 'lower' : 'NOT lower'} than every fixed limit best before it.`,
    ),
    '',
  ];
  return lines.join('\n');
}
