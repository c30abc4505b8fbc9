import { describe, expect, it } from 'vitest';
import { DROP_SCENARIO, runAdaptiveBench } from './adaptive-bench';
import { runScenario } from './adaptive-scenario';

describe('adaptive vs fixed limits (virtual time)', () => {
  it('adaptive gradient is within 10 % of the best fixed goodput and has a lower call p99 after the drop than the best-before fixed limits', async () => {
    const report = await runAdaptiveBench();
    const fixed = report.rows.filter((row) => row.policy.startsWith('fixed'));
    expect(fixed.length).toBeGreaterThanOrEqual(5);
    // The scenario is meant to have no free lunch: the best fixed limit before the drop is not best after it.
    const bestAfter = fixed.reduce((a, b) => (b.goodputAfterDrop > a.goodputAfterDrop ? b : a));
    expect(report.bestFixedBeforeDrop).not.toContain(bestAfter.policy);
    expect(report.goals.find((goal) => goal.policy === 'adaptive gradient')).toMatchObject({
      goodputWithin10Percent: true,
      lowerP99AfterDropThanBestBefore: true,
    });
    const gradient = report.rows.find((row) => row.policy === 'adaptive gradient')!;
    // It moved: a higher limit before the drop than after it, and the history shows the fall.
    expect(gradient.meanLimitBefore).toBeGreaterThan(gradient.meanLimitAfter * 1.3);
    expect(gradient.limitHistory.some((point) => point.t > DROP_SCENARIO.dropAtMs && point.limit < gradient.meanLimitBefore * 0.7)).toBe(true);
  }, 120_000);

  it('is exact: the same scenario and policy give the same numbers', async () => {
    const short = { ...DROP_SCENARIO, durationMs: 10_000, dropAtMs: 5_000, congestion: { ...DROP_SCENARIO.congestion, capacityChanges: [{ atMs: 5_000, factor: 0.5 }] } };
    const first = await runScenario(short, { kind: 'fixed', limit: 24 });
    const second = await runScenario(short, { kind: 'fixed', limit: 24 });
    expect(second).toEqual(first);
    expect(first.completed).toBeGreaterThan(0);
  });
});
